package households

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// 修改记录 lists a household's edits newest first with who made them; a
// resident's history masks the ID number for an auxiliary.
func TestHistoryDialog(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, w := openHouseholds(t, s)
	h, row := openWang(t, u)
	h.showDetail(row)
	u.Wait()
	test.Tap(uitest.FindButton(t, h.detail, "修改记录"))
	u.Wait()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no history dialog")
	}
	txt := uitest.Shown(top)
	for _, want := range []string{"修改记录：203号  王建国", "户主 → 王建国", "（本机）", "关闭"} {
		if !strings.Contains(txt, want) {
			t.Errorf("history lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "派出所更正") {
		t.Errorf("the post's own edits marked as the station's:\n%s", txt)
	}
	test.Tap(uitest.ButtonIn(top, "关闭"))

	u.Settings().SetRole(kit.RoleAuxiliary)
	rs, err := s.Residents(context.Background(), row.ID)
	if err != nil {
		t.Fatal(err)
	}
	var wang store.Resident
	for _, r := range rs {
		if r.IDNumber == uitest.WangID {
			wang = r
		}
	}
	h.showHistory("residents", wang.ID, wang.Name)
	u.Wait()
	txt = uitest.Shown(w.Canvas().Overlays().Top())
	if strings.Contains(txt, uitest.WangID) || !strings.Contains(txt, "身份证号 → "+store.MaskIDNumber(uitest.WangID)) {
		t.Errorf("an auxiliary's resident history:\n%s", txt)
	}
}
