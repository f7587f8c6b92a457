package boards

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// pdfText extracts a PDF's text with poppler, as a person copying from
// the viewer would get it.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// boardsUI opens 警示牌与宣传 with a CJK font, so previews and PDFs work.
func boardsUI(t *testing.T, s *store.Store) (*kit.Env, *Screen) {
	t.Helper()
	u, w := uitest.NewEnv(t, s)
	uitest.NoCutText(t, w)
	uitest.UseFont(t, u)
	b := New(u)
	w.SetContent(b.Object())
	u.Wait()
	return u, b
}

// savesTo makes a chooser that answers path.
func savesTo(path string) pathChooser {
	return func(_ string, then func(string)) { then(path) }
}

func printRecords(t *testing.T, s *store.Store, kind string) []store.PrintRecord {
	t.Helper()
	prs, err := s.PrintRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []store.PrintRecord
	for _, p := range prs {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// boardsFixture is the test post with cost items as a station publishes
// them (dated, cited) and the officer's phone, which cards need.
func boardsFixture(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	items, err := s.CostItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var recs []store.Record
	for i := range items {
		items[i].EffectiveDate, items[i].CheckedOn = "2020-01-01", "2025-12-30"
		recs = append(recs, &items[i])
	}
	var self store.Post
	if err := s.Get(ctx, &self, s.DeviceID()); err != nil {
		t.Fatal(err)
	}
	self.Phone = "13900001111"
	recs = append(recs, &self)
	if err := s.Save(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBoardDesignerPreviewsAndSaves(t *testing.T) {
	s := boardsFixture(t)
	u, b := boardsUI(t, s)
	d := b.designer
	if d.preview.Image == nil {
		t.Fatalf("no preview after opening; message %q", d.previewMsg.Text())
	}
	first := d.preview.Image
	if d.title.Text != "打架成本警示牌" || d.officer.Text != "赵警官" {
		t.Errorf("defaults: title %q officer %q", d.title.Text, d.officer.Text)
	}
	// The unconfirmed amount is marked; a post has no confirm button.
	got := strings.Join(uitest.Texts(d.items), "\n")
	if !strings.Contains(got, "殴打他人  500–1000元") || !strings.Contains(got, "待确认") || strings.Contains(got, "确认金额") {
		t.Errorf("items list:\n%s", got)
	}
	if issues := strings.Join(uitest.Texts(d.issues), "\n"); !strings.Contains(issues, "有 1 个金额尚待派出所确认") {
		t.Errorf("issues: %q", issues)
	}

	d.title.SetText(d.title.Text + "（东河村）")
	u.Wait()
	if d.preview.Image == first {
		t.Error("typing in the title did not redraw the preview")
	}

	// A final print refuses unconfirmed amounts.
	test.Tap(d.final)
	u.Wait()
	if !d.save.Disabled() {
		t.Error("final print with an unconfirmed amount is allowed")
	}
	test.Tap(d.final)

	// A bad custom size says so in words and blocks printing.
	d.size.SetSelected("自定义尺寸…")
	test.Type(d.custom, "abc")
	u.Wait()
	if issues := strings.Join(uitest.Texts(d.issues), "\n"); !strings.Contains(issues, "尺寸不对") || !d.save.Disabled() {
		t.Errorf("bad size: save enabled=%v issues %q", !d.save.Disabled(), issues)
	}
	d.custom.SetText("40x60")
	u.Wait()
	if d.save.Disabled() {
		t.Fatalf("40x60 not accepted: %q", strings.Join(uitest.Texts(d.issues), "\n"))
	}

	d.venue.SetSelected("东河超市")
	out := filepath.Join(t.TempDir(), "board.pdf")
	d.choosePath = savesTo(out)
	// A machine with no PDF viewer: the save is still a success.
	u.SetOpener(func(*url.URL) error { return &exec.Error{Name: "xdg-open", Err: exec.ErrNotFound} })
	test.Tap(d.save)
	u.Wait()
	saved := u.Window().Canvas().Overlays().Top()
	if saved == nil {
		t.Fatal("saving says nothing of where the file is")
	}
	test.Tap(uitest.DialogButton(t, saved, "打开"))
	if got := uitest.Shown(saved); strings.Contains(got, "出错了") || strings.Contains(got, "xdg-open") ||
		!strings.Contains(got, out) || !strings.Contains(got, "打开所在文件夹") || len(u.Window().Canvas().Overlays().List()) != 1 {
		t.Errorf("saved board without a viewer:\n%s", got)
	}
	text := pdfText(t, out)
	for _, want := range []string{"打架成本警示牌（东河村）", "东河超市", "赵警官", "110", "待核实"} {
		if !strings.Contains(strings.ReplaceAll(text, " ", ""), want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
	prs := printRecords(t, s, "board")
	if len(prs) != 1 || prs[0].Size != "40x60" || prs[0].Template != "table" || prs[0].VenueID == "" || prs[0].Copies != 1 {
		t.Fatalf("print records %+v", prs)
	}
	if len(uitest.AuditActions(t, s, store.AuditPrint)) != 1 {
		t.Error("printing the officer's contact was not audited")
	}
	if got := strings.Join(uitest.Texts(b.printed), "\n"); !strings.Contains(got, "东河超市") {
		t.Errorf("打印记录 does not show the print:\n%s", got)
	}
}

func TestBoardTemplatesPickTheirItems(t *testing.T) {
	u, b := boardsUI(t, boardsFixture(t))
	d := b.designer
	for _, tpl := range []string{"算账单", "大字海报", "分项表格"} {
		d.template.SetSelected(tpl)
		u.Wait()
		if len(d.board().Items) == 0 {
			t.Errorf("%s: no items chosen", tpl)
		}
		if d.preview.Image == nil || d.save.Disabled() {
			t.Errorf("%s: preview %v, message %q", tpl, d.preview.Image != nil, d.previewMsg.Text())
		}
	}
	// Unticking every line blocks printing with a reason.
	for _, o := range d.items.Objects {
		if c, ok := uitest.FirstCheck(o); ok && c.Checked {
			test.Tap(c)
		}
	}
	u.Wait()
	if !d.save.Disabled() || !strings.Contains(strings.Join(uitest.Texts(d.issues), "\n"), "请至少勾选一条") {
		t.Errorf("no items: save enabled %v, issues %q", !d.save.Disabled(), uitest.Texts(d.issues))
	}
}

func TestStationConfirmsAmounts(t *testing.T) {
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "station.db"),
		store.Identity{DeviceID: "STATION-TEST", Role: store.RoleStation, Name: "城关派出所", Township: "城关镇", Officer: "刘所长"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	item := &store.CostItem{Tier: "public_order", Grp: "legal", Text: "殴打他人", AmountMin: 500, AmountMax: 1000, Unit: "元",
		Law: "治安管理处罚法", Article: "第五十一条", EffectiveDate: "2020-01-01", CheckedOn: "2025-12-30"}
	if err := s.Save(ctx, item); err != nil {
		t.Fatal(err)
	}
	u, b := boardsUI(t, s)
	var confirm *widget.Button
	for _, btn := range uitest.Buttons(b.items) {
		if btn.Text == "确认金额" {
			confirm = btn
		}
	}
	if confirm == nil {
		t.Fatalf("a station sees no confirm button:\n%s", strings.Join(uitest.Texts(b.items), "\n"))
	}
	test.Tap(confirm)
	u.Wait()
	var back store.CostItem
	if err := s.Get(ctx, &back, item.ID); err != nil || !back.Confirmed || back.CheckedOn == "" {
		t.Fatalf("after confirm: %+v %v", back, err)
	}
	if got := strings.Join(uitest.Texts(b.items), "\n"); strings.Contains(got, "待确认") {
		t.Errorf("still marked unconfirmed:\n%s", got)
	}
}

func addVenues(t *testing.T, s *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	vs, err := s.Villages(ctx)
	if err != nil || len(vs) == 0 {
		t.Fatalf("villages: %v", err)
	}
	var recs []store.Record
	for i := 0; i < n; i++ {
		recs = append(recs, &store.Venue{VillageID: vs[0].ID, Kind: "shop", Name: fmt.Sprintf("第%02d号小卖部", i+1), X: float64(i), Y: 3})
	}
	if err := s.Save(ctx, recs...); err != nil {
		t.Fatal(err)
	}
}

func TestBoardBatchOnePerVenue(t *testing.T) {
	s := boardsFixture(t)
	addVenues(t, s, 5)
	u, b := boardsUI(t, s)
	d := b.designer
	out := filepath.Join(t.TempDir(), "batch.pdf")
	d.choosePath = savesTo(out)
	test.Tap(d.batch)
	u.Wait()
	if !strings.Contains(d.batchMsg.Text, "已生成 6 张") {
		t.Fatalf("batch message %q", d.batchMsg.Text)
	}
	text := strings.ReplaceAll(pdfText(t, out), " ", "")
	for _, want := range []string{"东河超市", "第01号小卖部", "第05号小卖部"} {
		if !strings.Contains(text, want) {
			t.Errorf("batch PDF lacks %q", want)
		}
	}
	prs := printRecords(t, s, "board")
	venues := map[string]bool{}
	for _, p := range prs {
		venues[p.VenueID] = true
	}
	if len(prs) != 6 || len(venues) != 6 {
		t.Errorf("%d print records over %d venues, want 6 each", len(prs), len(venues))
	}
	if d.progress.Visible() || d.cancel.Visible() || d.batch.Disabled() {
		t.Error("progress bar or cancel button left on screen, or batch button disabled")
	}
	// The venues tab counts what was printed per venue.
	if got := strings.Join(uitest.Texts(b.root), "\n"); !strings.Contains(got, "张贴场所") {
		t.Errorf("venues tab missing")
	}
	if b.perVen[prs[0].VenueID] != 1 {
		t.Errorf("per-venue count %v", b.perVen)
	}
}

func TestBoardBatchCancel(t *testing.T) {
	s := boardsFixture(t)
	addVenues(t, s, 60)
	u, b := boardsUI(t, s)
	d := b.designer
	out := filepath.Join(t.TempDir(), "batch.pdf")
	d.choosePath = savesTo(out)
	test.Tap(d.batch)
	if !d.cancel.Visible() || !d.batch.Disabled() {
		t.Fatal("no cancel button while the batch runs")
	}
	test.Tap(d.cancel)
	u.Wait()
	if d.batchMsg.Text != "已取消，没有生成文件。" {
		t.Errorf("message %q", d.batchMsg.Text)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("cancelled batch left a file: %v", err)
	}
	if n := len(printRecords(t, s, "board")); n != 0 {
		t.Errorf("cancelled batch recorded %d prints", n)
	}
	if d.batch.Disabled() {
		t.Error("batch button stays disabled after cancel")
	}
}

func TestLeafletEditAndSave(t *testing.T) {
	s := boardsFixture(t)
	u, b := boardsUI(t, s)
	l := b.leaflets
	l.topic.SetSelected("防诈骗")
	u.Wait()
	if l.title.Text == "" || len(l.heads) == 0 {
		t.Fatalf("fraud leaflet not loaded: %q, %d sections", l.title.Text, len(l.heads))
	}
	l.title.SetText("谨防电信诈骗（东河村）")
	l.points[0].SetText(l.points[0].Text + "\n陌生来电说要转账，一律挂断")
	l.format.SetSelected("A5 单张")
	u.Wait()
	if l.preview.Image == nil {
		t.Fatalf("no leaflet preview: %q", l.previewMsg.Text())
	}
	out := filepath.Join(t.TempDir(), "leaflet.pdf")
	l.choosePath = savesTo(out)
	test.Tap(l.save)
	u.Wait()
	text := strings.ReplaceAll(pdfText(t, out), " ", "")
	for _, want := range []string{"谨防电信诈骗（东河村）", "陌生来电说要转账，一律挂断", "110"} {
		if !strings.Contains(text, want) {
			t.Errorf("leaflet PDF lacks %q", want)
		}
	}
	prs := printRecords(t, s, "leaflet")
	if len(prs) != 1 || prs[0].Template != "fraud" || prs[0].Size != "a5" {
		t.Errorf("leaflet records %+v", prs)
	}
	// The edit is kept: switching topics and back shows it again.
	l.topic.SetSelected("防火")
	l.topic.SetSelected("防诈骗")
	if l.title.Text != "谨防电信诈骗（东河村）" {
		t.Errorf("edit lost: %q", l.title.Text)
	}
	test.Tap(uitest.FindButton(t, l.root, "恢复默认文字"))
	if l.title.Text == "谨防电信诈骗（东河村）" {
		t.Error("reset kept the edit")
	}
}

func TestContactCards(t *testing.T) {
	s := boardsFixture(t)
	u, b := boardsUI(t, s)
	c := b.cards
	if len(c.who.Options) != 1 || !strings.Contains(c.who.Options[0], "赵警官") {
		t.Fatalf("card people %v", c.who.Options)
	}
	c.copies.SetText("abc")
	u.Wait()
	if !c.save.Disabled() || !strings.Contains(c.previewMsg.Text(), "1 到 1000") {
		t.Errorf("bad copies: %q", c.previewMsg.Text())
	}
	c.copies.SetText("20")
	u.Wait()
	if c.save.Disabled() || c.preview.Image == nil {
		t.Fatalf("cards not ready: %q", c.previewMsg.Text())
	}
	out := filepath.Join(t.TempDir(), "cards.pdf")
	c.choosePath = savesTo(out)
	test.Tap(c.save)
	u.Wait()
	text := pdfText(t, out)
	if strings.Count(strings.ReplaceAll(text, " ", ""), "赵警官") < 20 {
		t.Errorf("cards PDF has fewer than 20 cards:\n%s", text)
	}
	prs := printRecords(t, s, "cards")
	if len(prs) != 1 || prs[0].Copies != 20 {
		t.Errorf("card records %+v", prs)
	}
	if len(uitest.AuditActions(t, s, store.AuditPrint)) != 1 {
		t.Error("cards (names and phones) not audited")
	}
}

func TestPrintRecordsReadInChinese(t *testing.T) {
	uitest.Headless(t)
	prs := []store.PrintRecord{
		{Kind: "board", Template: "table", Size: "a4", Copies: 1, PrintedAt: "2026-12-01 09:00:00"},
		{Kind: "board", Template: "poster", Size: "60x90/a4-tiles", Copies: 1, VenueID: "v1"},
		{Kind: "board", Template: "calculator", Size: "40x60", Copies: 2},
		{Kind: "leaflet", Template: "护学岗", Size: "a4-bifold", Copies: 1},
		{Kind: "leaflet", Template: "宣传单", Size: "a5", Copies: 1},
	}
	venue := store.Venue{Name: "东河超市"}
	venue.ID = "v1"
	got := strings.Join(uitest.Texts(container.NewVBox(printedView(prs, []store.Venue{venue})...)), "\n")
	for _, want := range []string{"警示牌 · 分项表格 · A4", "警示牌 · 东河超市 · 大字海报 · 展板 60×90 厘米（拼贴到 A4）",
		"算账单 · 40×60 厘米", "宣传单 · 护学岗 · A4 对折", "宣传单 · A5 单张"} {
		if !strings.Contains(got, want) {
			t.Errorf("打印记录 lacks %q:\n%s", want, got)
		}
	}
	for _, code := range []string{"table", "a4", "60x90", "poster", "bifold", "宣传单 · 宣传单"} {
		if strings.Contains(got, code) {
			t.Errorf("打印记录 shows %q:\n%s", code, got)
		}
	}
}

// At a station 警示牌与宣传 has a post filter: every post's venues, or one
// post's; a post's window has none.
func TestStationFiltersVenuesByPost(t *testing.T) {
	ctx := context.Background()
	post, stn, pe, se := uitest.PairedPost(t)
	if err := post.Save(ctx, &store.Venue{Name: "东河超市", Kind: "shop"}); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{pe, se} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	own := &store.Venue{Name: "派出所门口公告栏", Kind: "other"}
	if err := stn.Save(ctx, own); err != nil {
		t.Fatal(err)
	}
	u, b := boardsUI(t, stn)
	if b.post == nil {
		t.Fatal("a station has no post filter")
	}
	names := func() []string {
		var out []string
		for _, v := range b.Venues() {
			out = append(out, v.Name)
		}
		return out
	}
	all := names()
	if !slices.Contains(all, "东河超市") || !slices.Contains(all, own.Name) {
		t.Fatalf("every post: %q", all)
	}
	if len(b.post.Options) != 2 || !strings.Contains(b.post.Options[1], "东河") {
		t.Fatalf("post filter %q", b.post.Options)
	}
	b.ShowPost(post.DeviceID())
	if got := names(); !slices.Contains(got, "东河超市") || slices.Contains(got, own.Name) {
		t.Errorf("one post: %q", got)
	}
	b.RefreshLists()
	u.Wait()
	if b.postOwner() != post.DeviceID() {
		t.Error("a refresh forgot the post chosen")
	}
	b.ShowPost("")
	if got := names(); len(got) != len(all) {
		t.Errorf("back to every post: %q", got)
	}
	_, pb := boardsUI(t, post)
	if pb.post != nil {
		t.Error("a post's window has a post filter")
	}
}
