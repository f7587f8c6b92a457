package kit

import (
	"cunjing/app/ui/kit/wrap"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/lang"
)

// chooserWindow is a headless window in Chinese for the chooser.
func chooserWindow(t *testing.T) fyne.Window {
	t.Helper()
	test.NewTempApp(t)
	if err := lang.Use("zh"); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1366, 688))
	return w
}

// texts is every label and button text under o, hidden or not.
func texts(o fyne.CanvasObject) string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *wrap.Label:
			out = append(out, v.Raw())
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, v.Text)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(v.Content)
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(out, "\n")
}

func mkTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"b文件夹", "A folder", ".hidden"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"z.pdf", "a.PDF", "notes.txt", ".secret.pdf"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The chooser lists folders first, then only the files asked for, hidden
// ones left out; it speaks Chinese only (Fyne's own dialog said "Home",
// "Computer" and "保存 文件").
func TestChooserListsAndSpeaksChinese(t *testing.T) {
	w := chooserWindow(t)
	dir := mkTree(t)
	var got []string
	c := newChooser(w, Choose{Kind: ChooseOpen, Dir: dir, Exts: []string{".pdf"}}, func(p string) { got = append(got, p) })
	var names []string
	for _, e := range c.entries {
		names = append(names, e.name)
	}
	if strings.Join(names, ",") != "A folder,b文件夹,a.PDF,z.pdf" {
		t.Errorf("listed %v", names)
	}
	c.d.Show()
	shown := texts(w.Canvas().Overlays().Top())
	for _, english := range []string{"Home", "Computer", "Documents", "Open", "Cancel", "File"} {
		for _, line := range strings.Split(shown, "\n") {
			if line == english {
				t.Errorf("English %q in the chooser:\n%s", english, shown)
			}
		}
	}
	for _, want := range []string{"主目录", "计算机", "上一级", "打开", "取消", "只列出这些文件：.pdf"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the chooser does not say %q:\n%s", want, shown)
		}
	}
	if !c.ok.Disabled() {
		t.Error("打开 is enabled before a file is picked")
	}
	c.list.Select(3) // z.pdf
	test.Tap(c.ok)
	if len(got) != 1 || got[0] != filepath.Join(dir, "z.pdf") {
		t.Errorf("opened %v", got)
	}
}

// Tapping a folder walks into it; 上一级 walks out; a folder that cannot
// be read says so in Chinese and the chooser stays where it was.
func TestChooserWalksFolders(t *testing.T) {
	w := chooserWindow(t)
	dir := mkTree(t)
	c := newChooser(w, Choose{Kind: ChooseFolder, Dir: dir}, func(string) {})
	c.list.Select(1) // b文件夹
	if c.dir != filepath.Join(dir, "b文件夹") || len(c.entries) != 0 {
		t.Fatalf("in %s with %v", c.dir, c.entries)
	}
	c.open(filepath.Join(dir, "gone"))
	if c.dir != filepath.Join(dir, "b文件夹") || c.msg.Text() != "打不开这个文件夹。" || c.msg.Detail() == "" {
		t.Errorf("after a missing folder: in %s, says %q (%q)", c.dir, c.msg.Text(), c.msg.Detail())
	}
	c.open(filepath.Dir(c.dir))
	if c.dir != dir {
		t.Errorf("up: in %s", c.dir)
	}
}

// Saving adds the ending when the name has none, refuses names no file
// system takes, and asks before replacing a file.
func TestChooserSave(t *testing.T) {
	w := chooserWindow(t)
	dir := mkTree(t)
	var got []string
	c := newChooser(w, Choose{Kind: ChooseSave, Dir: dir, Name: "值班表", Exts: []string{".pdf"}}, func(p string) { got = append(got, p) })
	c.d.Show()
	test.Tap(c.ok)
	if len(got) != 1 || got[0] != filepath.Join(dir, "值班表.pdf") {
		t.Fatalf("saved as %v", got)
	}
	c.name.SetText("a/b")
	test.Tap(c.ok)
	if len(got) != 1 || !strings.Contains(c.msg.Text(), "不能有") {
		t.Errorf("a name with a slash: %v, says %q", got, c.msg.Text())
	}
	c.name.SetText("z.pdf")
	test.Tap(c.ok)
	if len(got) != 1 {
		t.Fatalf("replaced z.pdf without asking: %v", got)
	}
	if shown := texts(w.Canvas().Overlays().Top()); !strings.Contains(shown, "要用新的替换它吗") {
		t.Errorf("no question before replacing:\n%s", shown)
	}
}

// Saving, the cursor is in the file name: 回车 saves, Esc cancels (the
// officer's Enter did nothing, the cursor nowhere).
func TestChooserSaveByKeys(t *testing.T) {
	for _, tc := range []struct {
		key  fyne.KeyName
		want int
	}{{fyne.KeyReturn, 1}, {fyne.KeyEscape, 0}} {
		w := chooserWindow(t)
		dir := mkTree(t)
		var got []string
		ShowChooser(w, Choose{Kind: ChooseSave, Dir: dir, Name: "值班表", Exts: []string{".pdf"}}, func(p string) { got = append(got, p) })
		f := w.Canvas().Focused()
		if f == nil {
			t.Fatal("the file name has no cursor")
		}
		f.TypedKey(&fyne.KeyEvent{Name: tc.key})
		if len(got) != tc.want || w.Canvas().Overlays().Top() != nil {
			t.Errorf("%s: saved %v, chooser open %v", tc.key, got, w.Canvas().Overlays().Top() != nil)
		}
	}
}

func TestSaveName(t *testing.T) {
	for _, tc := range []struct {
		typed, want string
		ok          bool
	}{
		{"值班表", "值班表.pdf", true},
		{" 值班表.PDF ", "值班表.PDF", true},
		{"", "", false},
		{"..", "", false},
		{`a\b`, "", false},
		{"a:b", "", false},
		{"a\x01b", "", false},
		{strings.Repeat("长", 100), "", false},
	} {
		got, err := SaveName(tc.typed, []string{".pdf"})
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%q: %q %v", tc.typed, got, err)
		}
	}
}

// A file written through CreateFile appears whole at Close or not at
// all, replacing the old one only then, with no temporary left behind.
func TestCreateFileReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "表.pdf")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("after WriteFile: %q", b)
	}
	w := CreateFile(path)
	if _, err := w.Write([]byte("newer")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("the file changed before Close: %q", b)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "newer" {
		t.Errorf("after Close: %q", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("left behind: %v", es)
	}
	// A save that cannot be put in place (its folder went, a stick pulled
	// out) says so and leaves nothing.
	gone := filepath.Join(dir, "拔掉的U盘")
	if err := os.Mkdir(gone, 0o755); err != nil {
		t.Fatal(err)
	}
	w = CreateFile(filepath.Join(gone, "表.pdf"))
	if _, err := w.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err == nil {
		t.Error("Close into a folder that is gone succeeded")
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("the folder came back: %v", err)
	}
}
