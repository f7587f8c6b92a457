package kit_test

import (
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// topDialog is what the window shows over its content.
func topDialog(t *testing.T, w fyne.Window) fyne.CanvasObject {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shown")
	}
	return top
}

func TestErrorDialogFoldsTheTechnicalDetail(t *testing.T) {
	u, w := uitest.NewEnv(t, uitest.Fixture(t, 0))
	uitest.NoCutText(t, w)
	u.ShowError("保存失败。", errors.New("write /x/y.pdf: no space left on device"))
	top := topDialog(t, w)
	shown := uitest.Shown(top)
	if !strings.Contains(shown, "保存失败。") || !strings.Contains(shown, "详细信息") {
		t.Errorf("error dialog says:\n%s", shown)
	}
	// The English cause is there for whoever helps, folded away until
	// 详细信息 is opened.
	if strings.Contains(shown, "no space left") {
		t.Errorf("technical detail on screen before 详细信息 is opened:\n%s", shown)
	}
	var fold *widget.Accordion
	var find func(o fyne.CanvasObject)
	find = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Accordion:
			fold = v
		case *fyne.Container:
			for _, c := range v.Objects {
				find(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				find(c)
			}
		}
	}
	find(top)
	if fold == nil {
		t.Fatal("no 详细信息 fold")
	}
	fold.OpenAll()
	if shown := uitest.Shown(top); !strings.Contains(shown, "no space left") || strings.Index(shown, "保存失败。") > strings.Index(shown, "no space left") {
		t.Errorf("opened 详细信息 does not show the cause after the message:\n%s", shown)
	}
}

func TestSavedFileWithoutViewerIsNoError(t *testing.T) {
	u, w := uitest.NewEnv(t, uitest.Fixture(t, 0))
	uitest.NoCutText(t, w)
	var opened []string
	u.SetOpener(func(l *url.URL) error {
		opened = append(opened, l.Path)
		return &exec.Error{Name: "xdg-open", Err: exec.ErrNotFound}
	})
	path := "/tmp/村警/配对码.pdf"
	u.ShowSaved(path, "")
	top := topDialog(t, w)
	test.Tap(uitest.DialogButton(t, top, "打开"))
	test.Tap(uitest.DialogButton(t, top, "打开所在文件夹"))
	if len(opened) != 2 || opened[0] != path || opened[1] != "/tmp/村警" {
		t.Errorf("opened %q", opened)
	}
	shown := uitest.Shown(w.Canvas().Overlays().Top())
	if strings.Contains(shown, "出错了") || strings.Contains(shown, "xdg-open") || strings.Contains(shown, "executable") {
		t.Errorf("a saved file without a viewer reads as an error:\n%s", shown)
	}
	if !strings.Contains(shown, path) || !strings.Contains(shown, "本机没有能打开这个文件的程序") || len(w.Canvas().Overlays().List()) != 1 {
		t.Errorf("saved note says:\n%s", shown)
	}
}

// A status line says what failed in the user's words; the Go error waits
// behind 详细信息, and a later plain message clears it.
func TestMessageFoldsTheError(t *testing.T) {
	_, w := uitest.NewEnv(t, uitest.Fixture(t, 0))
	uitest.NoCutText(t, w)
	tests := []struct {
		name        string
		set         func(m *kit.Message)
		text, fold  string
		foldVisible bool
	}{
		{"plain", func(m *kit.Message) { m.SetText("已保存。") }, "已保存。", "", false},
		{"error", func(m *kit.Message) { m.SetError("配对失败。", errors.New("dial tcp: connection refused")) }, "配对失败。", "dial tcp: connection refused", true},
		{"nil error", func(m *kit.Message) { m.SetError("已完成。", nil) }, "已完成。", "", false},
		{"error then plain", func(m *kit.Message) {
			m.SetError("配对失败。", errors.New("EOF"))
			m.SetText("已配对。")
		}, "已配对。", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := kit.NewMessage()
			w := test.NewWindow(m)
			defer w.Close()
			tc.set(m)
			if m.Text() != tc.text || m.Detail() != tc.fold {
				t.Errorf("text %q detail %q, want %q and %q", m.Text(), m.Detail(), tc.text, tc.fold)
			}
			shown := uitest.Shown(m)
			if tc.fold != "" && strings.Contains(shown, tc.fold) {
				t.Errorf("the Go error is on screen before 详细信息 is opened:\n%s", shown)
			}
			if got := strings.Contains(shown, "详细信息"); got != tc.foldVisible {
				t.Errorf("详细信息 shown %v, want %v:\n%s", got, tc.foldVisible, shown)
			}
		})
	}
}

// An edit of a month the station approved (a visit, a patrol) is not a
// bare 保存失败: the officer is told why, in Chinese.
func TestSaveFailedSaysTheMonthIsApproved(t *testing.T) {
	u, w := uitest.NewEnv(t, uitest.Fixture(t, 0))
	uitest.NoCutText(t, w)
	u.SaveFailed(nil, fmt.Errorf("save: %w", &store.MonthLockedError{Owner: "P", Month: "2026-11"}))
	shown := uitest.Shown(topDialog(t, w))
	if !strings.Contains(shown, "派出所已审核通过") || strings.Contains(shown, "保存失败") {
		t.Errorf("the dialog says:\n%s", shown)
	}
}

// A save or a read that failed says what to do next, not only that it
// failed (保存失败。 left the officer at a dead end).
func TestFailureSaysWhatToDoNext(t *testing.T) {
	for _, key := range []string{"error.save", "error.load"} {
		t.Run(key, func(t *testing.T) {
			u, w := uitest.NewEnv(t, uitest.Fixture(t, 0))
			uitest.NoCutText(t, w)
			if key == "error.save" {
				u.SaveFailed(nil, errors.New("database is locked"))
			} else {
				u.ShowError(lang.L(key), errors.New("database is locked"))
			}
			shown := uitest.Shown(topDialog(t, w))
			if !strings.Contains(shown, "再") || !strings.Contains(shown, "试试") || !strings.Contains(shown, "上级") {
				t.Errorf("the dialog says:\n%s", shown)
			}
		})
	}
}
