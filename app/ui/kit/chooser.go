package kit

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window's own file chooser. Fyne's file dialog names its places in
// English whatever the language ("Home", "Computer", "Documents": they are
// not message keys) and titles itself "保存 文件"; an officer who reads
// only Chinese was lost in it. This one says everything through lang, lists
// the places an office PC has (主目录, 桌面, 文档, 下载, U 盘, 计算机 or the
// drives), folders first, and never creates a file: saving returns a path
// the caller writes (through a temporary file, as the print jobs do).

// ChooseKind is what a chooser picks.
type ChooseKind int

// The kinds of chooser.
const (
	ChooseOpen   ChooseKind = iota // an existing file
	ChooseSave                     // where to write a file
	ChooseFolder                   // a folder
)

// Choose says what to ask for.
type Choose struct {
	Kind ChooseKind
	// Title; "" is 打开文件, 保存文件 or 选择文件夹.
	Title string
	// Exts are the file name endings shown (".pdf"), compared without
	// case; none shows every file. Saving adds the first when the name
	// typed has none of them.
	Exts []string
	// Name is the file name suggested when saving.
	Name string
	// Dir is where to start ("" or gone: the home folder).
	Dir string
	// Size of the dialog (zero: 860×580).
	Size fyne.Size
}

// maxListed bounds how many entries of a folder are listed (a folder of a
// million files must not hang the window).
const maxListed = 5000

// chooser is one open file chooser.
type chooser struct {
	win  fyne.Window
	opt  Choose
	then func(path string)

	dir     string
	entries []chosenEntry
	picked  int // index into entries of the file picked, -1 none

	where *widget.Label
	list  *widget.List
	name  *Entry
	msg   *Message
	ok    *widget.Button
	d     dialog.Dialog
}

type chosenEntry struct {
	name string
	dir  bool
}

// ShowChooser asks for a file or folder and calls then with its path;
// cancelling calls nothing.
func ShowChooser(win fyne.Window, opt Choose, then func(path string)) {
	c := newChooser(win, opt, then)
	c.d.Show()
	if c.name != nil {
		// Saving: the cursor in the file name, so 回车 saves (Esc cancels).
		win.Canvas().Focus(c.name)
	}
}

func newChooser(win fyne.Window, opt Choose, then func(path string)) *chooser {
	c := &chooser{win: win, opt: opt, then: then, picked: -1, msg: NewMessage()}
	c.where = widget.NewLabel("")
	c.where.Truncation = fyne.TextTruncateEllipsis
	c.list = widget.NewList(
		func() int { return len(c.entries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), nil, l)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(c.entries) {
				return
			}
			e := c.entries[id]
			row := o.(*fyne.Container)
			icon := theme.FileIcon()
			if e.dir {
				icon = theme.FolderIcon()
			}
			for _, obj := range row.Objects {
				switch v := obj.(type) {
				case *widget.Icon:
					v.SetResource(icon)
				case *widget.Label:
					v.SetText(e.name)
				}
			}
		})
	c.list.OnSelected = c.selected

	up := widget.NewButtonWithIcon(lang.L("chooser.up"), theme.MoveUpIcon(), func() { c.open(filepath.Dir(c.dir)) })
	top := container.NewBorder(nil, nil, up, nil, c.where)
	if opt.Kind != ChooseOpen {
		mk := widget.NewButtonWithIcon(lang.L("chooser.newFolder"), theme.FolderNewIcon(), c.newFolder)
		top = container.NewBorder(nil, nil, up, mk, c.where)
	}

	places := container.NewVBox()
	for _, p := range Places() {
		p := p
		b := widget.NewButtonWithIcon(p.Name, p.icon(), func() { c.open(p.Path) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		places.Add(b)
	}

	okText := lang.L("chooser.open")
	switch opt.Kind {
	case ChooseSave:
		okText = lang.L("chooser.save")
	case ChooseFolder:
		okText = lang.L("chooser.pickFolder")
	}
	c.ok = widget.NewButtonWithIcon(okText, theme.ConfirmIcon(), c.confirm)
	c.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(lang.L("chooser.cancel"), theme.CancelIcon(), func() { c.d.Hide() })

	bottom := container.NewVBox(c.msg)
	if opt.Kind == ChooseSave {
		c.name = NewEntry()
		c.name.SetText(opt.Name)
		c.name.OnSubmitted = func(string) { c.confirm() }
		bottom.Add(container.NewBorder(nil, nil, widget.NewLabel(lang.L("chooser.fileName")), nil, c.name))
	}
	if len(opt.Exts) > 0 {
		bottom.Add(LowLabel(fmt.Sprintf(lang.L("chooser.shows"), strings.Join(lowerExts(opt.Exts), lang.L("list.sep")))))
	}
	bottom.Add(container.NewHBox(layout.NewSpacer(), cancel, c.ok))

	body := container.NewBorder(top, bottom, container.NewVScroll(places), nil, c.list)
	title := opt.Title
	if title == "" {
		title = map[ChooseKind]string{ChooseOpen: lang.L("chooser.titleOpen"), ChooseSave: lang.L("chooser.titleSave"),
			ChooseFolder: lang.L("chooser.titleFolder")}[opt.Kind]
	}
	c.d = dialog.NewCustomWithoutButtons(title, EscapeTo(body, func() { c.d.Hide() }), win)
	size := opt.Size
	if size.Width == 0 || size.Height == 0 {
		size = fyne.NewSize(860, 580)
	}
	c.d.Resize(size)

	start := opt.Dir
	if fi, err := os.Stat(start); start == "" || err != nil || !fi.IsDir() {
		start = homeDir()
	}
	c.open(start)
	c.updateOK()
	return c
}

func lowerExts(exts []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range exts {
		e = strings.ToLower(e)
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

func homeDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	if runtime.GOOS == "windows" {
		return `C:\`
	}
	return "/"
}

// open lists dir: its folders, then the files with a wanted ending, by
// name; hidden entries are left out.
func (c *chooser) open(dir string) {
	dir = filepath.Clean(dir)
	entries, err := listFolder(dir, c.opt.Kind != ChooseFolder, c.opt.Exts)
	c.list.UnselectAll()
	c.picked = -1
	switch {
	case errors.Is(err, errTooMany):
		c.msg.SetText(fmt.Sprintf(lang.L("chooser.tooMany"), maxListed))
	case err != nil:
		c.msg.SetError(lang.L("chooser.cannotOpen"), err)
		if c.dir != "" {
			return // stay where we were
		}
	default:
		c.msg.SetText("")
	}
	c.dir, c.entries = dir, entries
	c.where.SetText(dir)
	c.list.Refresh()
	c.list.ScrollToTop()
	c.updateOK()
}

var errTooMany = errors.New("folder has more entries than are listed")

// listFolder lists dir for a chooser: folders first, then (with files)
// the files whose names end in one of exts (any, when none), each group by
// name; hidden entries (a leading dot) are left out. Past maxListed
// entries it stops and says so with errTooMany, returning what it has.
func listFolder(dir string, files bool, exts []string) ([]chosenEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var dirs, plain []chosenEntry
	var tooMany bool
	for {
		batch, err := f.ReadDir(512)
		for _, e := range batch {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			isDir := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				// A link to a folder is walked into like one; what it
				// points at is checked when it is opened.
				if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.IsDir() {
					isDir = true
				}
			}
			switch {
			case isDir:
				dirs = append(dirs, chosenEntry{name: name, dir: true})
			case files && wanted(name, exts):
				plain = append(plain, chosenEntry{name: name})
			}
			if len(dirs)+len(plain) >= maxListed {
				tooMany = true
				break
			}
		}
		if tooMany || err != nil || len(batch) == 0 {
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			break
		}
	}
	by := func(es []chosenEntry) {
		sort.Slice(es, func(i, j int) bool { return strings.ToLower(es[i].name) < strings.ToLower(es[j].name) })
	}
	by(dirs)
	by(plain)
	out := append(dirs, plain...)
	if tooMany {
		return out, errTooMany
	}
	return out, nil
}

func wanted(name string, exts []string) bool {
	if len(exts) == 0 {
		return true
	}
	for _, e := range exts {
		if strings.HasSuffix(strings.ToLower(name), strings.ToLower(e)) {
			return true
		}
	}
	return false
}

func (c *chooser) selected(id widget.ListItemID) {
	if id < 0 || id >= len(c.entries) {
		return
	}
	e := c.entries[id]
	if e.dir {
		c.open(filepath.Join(c.dir, e.name))
		return
	}
	c.picked = id
	if c.name != nil {
		c.name.SetText(e.name)
	}
	c.updateOK()
}

func (c *chooser) updateOK() {
	if c.opt.Kind == ChooseOpen && c.picked < 0 {
		c.ok.Disable()
		return
	}
	c.ok.Enable()
}

// confirm answers with the file picked, the name typed (asking before
// replacing a file) or the folder shown.
func (c *chooser) confirm() {
	switch c.opt.Kind {
	case ChooseOpen:
		if c.picked < 0 {
			return
		}
		c.finish(filepath.Join(c.dir, c.entries[c.picked].name))
	case ChooseFolder:
		c.finish(c.dir)
	case ChooseSave:
		name, err := SaveName(c.name.Text, c.opt.Exts)
		if err != nil {
			c.msg.SetText(lang.L("chooser.badName"))
			return
		}
		path := filepath.Join(c.dir, name)
		fi, err := os.Lstat(path)
		switch {
		case err == nil && fi.IsDir():
			c.msg.SetText(lang.L("chooser.isFolder"))
		case err == nil:
			dialog.ShowConfirm(lang.L("chooser.replaceTitle"), fmt.Sprintf(lang.L("chooser.replace"), name), func(yes bool) {
				if yes {
					c.finish(path)
				}
			}, c.win)
		default:
			c.finish(path)
		}
	}
}

func (c *chooser) finish(path string) {
	c.d.Hide()
	c.then(path)
}

// SaveName checks a file name typed to save under and adds the first of
// exts when it ends in none of them. A name with a folder in it, or one
// no file system takes, is refused.
func SaveName(typed string, exts []string) (string, error) {
	name := strings.TrimSpace(typed)
	switch {
	case name == "", name == ".", name == "..":
		return "", errors.New("empty file name")
	case strings.ContainsAny(name, `/\:*?"<>|`) || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 }):
		return "", fmt.Errorf("file name %q has a character no file name may have", name)
	case len(name) > 200:
		return "", errors.New("file name too long")
	}
	if len(exts) > 0 && !wanted(name, exts) {
		name += strings.ToLower(exts[0])
	}
	return name, nil
}

func (c *chooser) newFolder() {
	e := NewEntry()
	dialog.ShowForm(lang.L("chooser.newFolder"), lang.L("chooser.create"), lang.L("chooser.cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("chooser.folderName"), e)}, func(ok bool) {
			if !ok {
				return
			}
			name, err := SaveName(e.Text, nil)
			if err != nil {
				c.msg.SetText(lang.L("chooser.badName"))
				return
			}
			path := filepath.Join(c.dir, name)
			if err := os.Mkdir(path, 0o755); err != nil {
				c.msg.SetError(lang.L("chooser.cannotCreate"), err)
				return
			}
			c.open(path)
		}, c.win)
}

// Place is a folder the chooser offers on its left.
type Place struct {
	Name string
	Path string
	kind string // home, folder, removable, computer, drive
}

func (p Place) icon() fyne.Resource {
	switch p.kind {
	case "home":
		return theme.HomeIcon()
	case "removable", "drive":
		return theme.StorageIcon()
	case "computer":
		return theme.ComputerIcon()
	}
	return theme.FolderIcon()
}

// Places are the chooser's places on this PC: the home folder, its
// desktop, documents and downloads (under their English or Chinese
// names), USB sticks, and the computer's root or drives.
func Places() []Place {
	home := homeDir()
	out := []Place{{Name: lang.L("chooser.home"), Path: home, kind: "home"}}
	for _, f := range []struct {
		key   string
		names []string
	}{
		{"chooser.desktop", []string{"Desktop", "桌面"}},
		{"chooser.documents", []string{"Documents", "文档"}},
		{"chooser.downloads", []string{"Downloads", "下载"}},
	} {
		for _, n := range f.names {
			p := filepath.Join(home, n)
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				out = append(out, Place{Name: lang.L(f.key), Path: p, kind: "folder"})
				break
			}
		}
	}
	if runtime.GOOS == "windows" {
		for d := 'C'; d <= 'Z'; d++ {
			root := string(d) + `:\`
			if _, err := os.Stat(root); err == nil {
				out = append(out, Place{Name: fmt.Sprintf(lang.L("chooser.drive"), string(d)), Path: root, kind: "drive"})
			}
		}
		return out
	}
	user := filepath.Base(home)
	for _, base := range []string{filepath.Join("/media", user), filepath.Join("/run/media", user), "/media"} {
		es, err := os.ReadDir(base)
		if err != nil {
			continue
		}
		for _, e := range es {
			p := filepath.Join(base, e.Name())
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || p == filepath.Join("/media", user) {
				continue
			}
			out = append(out, Place{Name: fmt.Sprintf(lang.L("chooser.removable"), e.Name()), Path: p, kind: "removable"})
		}
	}
	return append(out, Place{Name: lang.L("chooser.computer"), Path: "/", kind: "computer"})
}
