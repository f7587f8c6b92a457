package emergency_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/emergency"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/emergencylog"
)

// TestEmergencyScreenFromCold: a cold window, a query, the card; several
// matches a list; the buttons copy, save the picture and the A4 page, and
// the logged event becomes a patrol record.
func TestEmergencyScreenFromCold(t *testing.T) {
	s := uitest.Fixture(t, 3)
	env, w := uitest.NewEnv(t, s)
	uitest.NoCutText(t, w)
	uitest.UseFont(t, env)
	var saved []string
	env.SetOpener(nil)
	sc := emergency.New(env)
	w.SetContent(sc.Object())
	env.Wait()

	sc.Search("203")
	env.Wait()
	c := sc.Card()
	if c == nil || c.House.Number != "203" || c.House.Head != "王建国" {
		t.Fatalf("card %+v", c)
	}
	shown := uitest.Joined(w.Content())
	for _, want := range []string{"紧急 东河村 203号", "户主 王建国", "算不出消防车路线", "电话", "户主 王建国 138 1234 5678",
		"现在值班", "火警 119", "已记入警情记录", "保存图片", "复制文字", "打印", "记为巡逻记录"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the screen lacks %q:\n%s", want, shown)
		}
	}
	// The old number finds the same house.
	sc.Search("118")
	env.Wait()
	if sc.Card() == nil || sc.Card().House.Number != "203" {
		t.Errorf("old number 118: %+v", sc.Card())
	}
	// 复制文字 puts the text on the clipboard.
	test.Tap(uitest.FindButton(t, w.Content(), "复制文字"))
	if got := env.App().Clipboard().Content(); !strings.Contains(got, "【紧急 东河村 203号】") || !strings.Contains(got, "119") {
		t.Errorf("clipboard %q", got)
	}
	// 保存图片 and 打印 write beside the database and say where.
	for _, b := range []string{"保存图片", "打印"} {
		test.Tap(uitest.FindButton(t, w.Content(), b))
		env.Wait()
	}
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path()), "紧急卡", "紧急卡-203-*"))
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > 1000 {
			saved = append(saved, filepath.Ext(f))
		}
	}
	if strings.Join(saved, " ") != ".pdf .png" {
		t.Errorf("saved %v, want the PDF and the PNG", files)
	}
	if overlays := w.Canvas().Overlays().List(); len(overlays) == 0 || !strings.Contains(uitest.Shown(overlays[len(overlays)-1]), "紧急卡") {
		t.Error("no note says where the card was saved")
	}
	for len(w.Canvas().Overlays().List()) > 0 {
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}

	// 记为巡逻记录: the logged event becomes a patrol record.
	test.Tap(uitest.FindButton(t, w.Content(), "记为巡逻记录"))
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no patrol dialog")
	}
	test.Tap(uitest.DialogButton(t, top, "保存"))
	env.Wait()
	list, err := emergencylog.List(context.Background(), s, 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("emergency log %+v %v", list, err)
	}
	var linked *store.Emergency
	for i := range list {
		if list[i].PatrolID != "" {
			linked = &list[i]
		}
	}
	if linked == nil {
		t.Fatal("no emergency became a patrol record")
	}
	var p store.Patrol
	if err := s.Get(context.Background(), &p, linked.PatrolID); err != nil || !strings.Contains(p.Findings, "203号") {
		t.Errorf("patrol %+v %v", p, err)
	}
	// Once: the button is done with (a second tap asked again, and the
	// save said only that the store refused).
	again := uitest.FindButton(t, w.Content(), "记为巡逻记录")
	test.Tap(again)
	if top := w.Canvas().Overlays().Top(); top != nil {
		test.Tap(uitest.DialogButton(t, top, "保存"))
		env.Wait()
		t.Errorf("记为巡逻记录 asks again after the patrol record was made; then: %q", uitest.Shown(w.Canvas().Overlays().Top()))
		for w.Canvas().Overlays().Top() != nil {
			w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
		}
	}
	if !again.Disabled() {
		t.Error("记为巡逻记录 is still offered after the patrol record was made")
	}

	// A surname of several householders lists them to choose from.
	sc.SelectVillage("西岭村")
	sc.Search("赵")
	env.Wait()
	shown = uitest.Joined(w.Content())
	if !strings.Contains(shown, "请选一户") || !strings.Contains(shown, "赵000") {
		t.Errorf("several matches:\n%s", shown)
	}
	sc.Search("没有这个人")
	env.Wait()
	if shown = uitest.Joined(w.Content()); !strings.Contains(shown, "没有找到") {
		t.Errorf("no match:\n%s", shown)
	}
}

// A query longer than the search reads (an address pasted from a message)
// says so on the screen, in Chinese: no error dialog with the English
// "search query is too long" in the middle of an emergency.
func TestEmergencyQueryTooLong(t *testing.T) {
	s := uitest.Fixture(t, 0)
	env, w := uitest.NewEnv(t, s)
	uitest.NoCutText(t, w)
	sc := emergency.New(env)
	w.SetContent(sc.Object())
	env.Wait()
	sc.Search(strings.Repeat("东河村二组王建国家门口", 7))
	env.Wait()
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Errorf("a long query opened %d dialogs: %s", n, uitest.Shown(w.Canvas().Overlays().Top()))
	}
	if shown := uitest.Joined(w.Content()); !strings.Contains(shown, "太长") {
		t.Errorf("a long query does not say it is too long:\n%s", shown)
	}
}

// A householder of another of the post's villages is found there, with
// the village switched to it: with 东河村 chosen, 赵000 (in 西岭村) was
// 没有找到 — in an emergency, as if nobody of that name lived in the post's
// villages.
func TestEmergencyFindsInTheOtherVillage(t *testing.T) {
	s := uitest.Fixture(t, 3)
	env, w := uitest.NewEnv(t, s)
	uitest.NoCutText(t, w)
	sc := emergency.New(env)
	w.SetContent(sc.Object())
	env.Wait()
	sc.SelectVillage("东河村")
	env.Wait()
	sc.Search("赵000")
	env.Wait()
	shown := uitest.Joined(w.Content())
	if strings.Contains(shown, "没有找到") || !strings.Contains(shown, "西岭村") {
		t.Errorf("a householder of 西岭村 searched with 东河村 chosen:\n%s", shown)
	}
	// What is in neither village is still not found.
	sc.Search("没有这个人")
	env.Wait()
	if shown = uitest.Joined(w.Content()); !strings.Contains(shown, "没有找到") {
		t.Errorf("no match:\n%s", shown)
	}
}

// "203号", as the screens write a door number, finds house 203: it said
// 没有找到“203号”.
func TestEmergencyNumberWithHao(t *testing.T) {
	s := uitest.Fixture(t, 0)
	env, w := uitest.NewEnv(t, s)
	uitest.NoCutText(t, w)
	uitest.UseFont(t, env)
	sc := emergency.New(env)
	w.SetContent(sc.Object())
	env.Wait()
	sc.Search("203号")
	env.Wait()
	if c := sc.Card(); c == nil || c.House.Number != "203" {
		t.Errorf("203号 gave card %+v:\n%s", c, uitest.Joined(w.Content()))
	}
}

// Enter pressed twice (in a hurry), or a match tapped twice, logs the
// emergency once: each logged it again while the first was being built,
// two 警情记录 of one call a second apart.
func TestEmergencyDoubleEnterLogsOnce(t *testing.T) {
	s := uitest.Fixture(t, 3)
	env, w := uitest.NewEnv(t, s)
	uitest.NoCutText(t, w)
	sc := emergency.New(env)
	w.SetContent(sc.Object())
	env.Wait()
	count := func() int {
		t.Helper()
		list, err := emergencylog.List(context.Background(), s, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	sc.Search("203")
	sc.Search("203")
	env.Wait()
	if sc.Card() == nil || sc.Card().House.Number != "203" {
		t.Fatalf("card %+v", sc.Card())
	}
	if n := count(); n != 1 {
		t.Errorf("Enter twice logged %d emergencies, want 1", n)
	}
	// Looked up again once the card shows: a new entry, as before.
	sc.Search("203")
	env.Wait()
	if n := count(); n != 2 {
		t.Errorf("a second look-up after the card logged %d in all, want 2", n)
	}

	sc.SelectVillage("西岭村")
	sc.Search("赵")
	env.Wait()
	var pick *widget.Button
	for _, b := range uitest.Buttons(w.Content()) {
		if strings.Contains(b.Text, "赵000") {
			pick = b
		}
	}
	if pick == nil {
		t.Fatalf("no match to pick:\n%s", uitest.Joined(w.Content()))
	}
	test.Tap(pick)
	test.Tap(pick)
	env.Wait()
	if n := count(); n != 3 {
		t.Errorf("a match tapped twice logged %d in all, want 3", n)
	}
}

// The village chosen beside the query shows whole: the select was as wide
// as its placeholder 请选择, so 王家庄新村 read 王家….
func TestEmergencyVillageShownWhole(t *testing.T) {
	s := uitest.Fixture(t, 0)
	if err := s.Save(context.Background(), &store.Village{Name: "王家庄新村", Township: "城关镇"}); err != nil {
		t.Fatal(err)
	}
	env, w := uitest.NewEnv(t, s)
	sc := emergency.New(env)
	w.SetContent(sc.Object())
	env.Wait()
	for _, v := range []string{"东河村", "王家庄新村"} {
		sc.SelectVillage(v)
		env.Wait()
		w.Content().Refresh()
		if cut := uitest.CutSelects(w.Content()); len(cut) > 0 {
			t.Errorf("chose %s: %q", v, cut)
		}
	}
}
