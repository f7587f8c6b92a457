package roster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/roster/patrollog"
	"cunjing/app/ui/roster/rosterclock"
	"cunjing/app/ui/roster/rosterwords"
	"cunjing/app/ui/roster/tab"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// Screen is 巡逻排班: the roster calendar, the shift rules with their
// editor, teams and members, exceptions, the patrol log and the
// planned-versus-done counts, one tab each.
type Screen struct {
	u    Env
	root fyne.CanvasObject
	tabs *container.AppTabs
	now  func() time.Time

	data tab.Data

	cal   *calendarTab
	rules *rulesTab
	teams *teamsTab
	excs  *exceptionsTab
	hols  *holidaysTab
	log   *patrollog.Tab
	comp  *complianceTab

	// At a station (readOnly) the screen shows the posts' rosters and
	// patrol logs without changing them; owner picks one post ("": every
	// post's records together), named ownerName (roster_owner.go).
	readOnly bool
	// locked is the last "month approved" dialog shown (tests answer it).
	locked    dialog.Dialog
	owner     string
	ownerName string
	scope     *widget.Label
	// At a station: the post whose roster shows (全部警务室 or one), and
	// the posts it offers (roster_owner.go).
	postPick *widget.Select
	posts    []store.Post
	picking  bool // the pick is being set from ShowOwner, not by a person
	chosen   bool // a post was looked at or picked (ShowOwner), or 全部警务室
	// clock says when the PC's date is before what the database has
	// seen, and lets an officer say which day is today.
	clock *rosterclock.Line
}

// New builds the 巡逻排班 screen in env u and loads the roster.
func New(u Env) *Screen {
	p := &Screen{u: u, now: u.Now, readOnly: u.Store().Role() == store.RoleStation, scope: widget.NewLabel("")}
	p.clock = rosterclock.New(u, func() time.Time { return p.now() }, p.Refresh)
	p.cal = newCalendarTab(p)
	p.rules = newRulesTab(p)
	p.teams = newTeamsTab(p)
	p.excs = newExceptionsTab(p)
	p.hols = newHolidaysTab(p)
	p.log = patrollog.New(p)
	p.comp = newComplianceTab(p)
	p.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("roster.tab.calendar"), theme.CalendarIcon(), p.cal.Object()),
		container.NewTabItemWithIcon(lang.L("roster.tab.rules"), theme.DocumentIcon(), p.rules.Object()),
		container.NewTabItemWithIcon(lang.L("roster.tab.teams"), theme.AccountIcon(), p.teams.Object()),
		container.NewTabItemWithIcon(lang.L("roster.tab.exceptions"), theme.WarningIcon(), p.excs.Object()),
		container.NewTabItemWithIcon(lang.L("roster.tab.holidays"), theme.CalendarIcon(), p.hols.Object()),
		container.NewTabItemWithIcon(lang.L("roster.tab.log"), theme.DocumentCreateIcon(), p.log.Object()),
		container.NewTabItemWithIcon(lang.L("roster.tab.compliance"), theme.ListIcon(), p.comp.Object()),
	)
	p.root = container.NewBorder(p.clock.Object(), nil, nil, nil, p.tabs)
	if p.readOnly {
		// A station only looks: no 新建 buttons (the cards have no 编辑
		// or 删除 either, recordCard), rather than buttons that refuse.
		for _, le := range []*tab.ListEditor{p.rules.ListEditor, p.teams.ListEditor, p.excs.ListEditor, p.log.ListEditor} {
			le.Add.Hide()
		}
		p.scope.Importance = widget.WarningImportance
		p.scope.Wrapping = fyne.TextWrapWord
		p.scope.SetText(lang.L("roster.scope.all"))
		p.postPick = kit.NewSelect([]string{lang.L("filter.allPosts")}, func(string) { p.pickPost() })
		p.postPick.SetSelectedIndex(0)
		p.root = container.NewBorder(container.NewPadded(container.NewBorder(nil, nil, nil, kit.WithWidth(260, p.postPick), p.scope)), nil, nil, nil, p.tabs)
	}
	p.Refresh()
	return p
}

func (p *Screen) Object() fyne.CanvasObject { return p.root }

// Today is the current civil date.
func (p *Screen) Today() schedule.Date { return schedule.FromTime(p.now()) }

// editDay is the day an edit applies from (rosterdata.EditDayOf): today
// by the PC's clock, or the later day the database has seen when the
// PC's date is before it, so a clock years behind cuts no history.
func (p *Screen) editDay(ctx context.Context) (schedule.Date, error) {
	d, err := rosterdata.EditDayOf(ctx, p.u.Store(), p.now())
	return d.Day, err
}

// Refresh reloads the roster records and redraws every tab.
func (p *Screen) Refresh() {
	var d tab.Data
	var posts []store.Post
	var day rosterclock.State
	kit.Load(p.u, func(ctx context.Context) (err error) {
		if d, err = tab.Load(ctx, p.u.Store(), p.owner); err != nil {
			return err
		}
		if !p.readOnly {
			if day, err = rosterclock.Load(ctx, p.u.Store(), p.now()); err != nil {
				return err
			}
		}
		if p.postPick != nil {
			posts, err = p.u.Store().Posts(ctx)
		}
		return err
	}, func() {
		p.clock.Show(day)
		if p.postPick != nil && p.setPosts(posts) {
			return // ShowOwner loads the first post's records
		}
		p.data = d
		p.cal.show()
		p.rules.show()
		p.teams.show()
		p.excs.show()
		p.hols.show()
		p.log.Show()
		p.comp.show()
	})
}

// Save stores records in the background and, once they are in, reloads
// the roster; onSaved runs on the UI goroutine after a successful save,
// f (may be nil) shows a field error next to its input. An edit of who
// stands on a rule applies from today: the days before keep who stood
// (rosterdata.SaveKeepingPast).
func (p *Screen) Save(f *kit.EditForm, onSaved func(), recs ...store.Record) {
	if p.refuseEdit() {
		return
	}
	// Leave typed for the days before today is not what is saved: those
	// days keep the leave they had (rosterdata.keepPastLeave). Said, not
	// saved in silence.
	typed := map[*store.Member][]string{}
	for _, r := range recs {
		if m, ok := r.(*store.Member); ok {
			typed[m] = slices.Clone(m.Leave)
		}
	}
	done := func() {
		if onSaved != nil {
			onSaved()
		}
		p.Refresh()
		for m, was := range typed {
			if !slices.Equal(was, m.Leave) {
				kept := strings.Join(rosterwords.Leave(m.Leave), "、")
				if kept == "" {
					kept = lang.L("roster.leave.none")
				}
				dialog.ShowInformation(lang.L("roster.leave.pastKeptTitle"), fmt.Sprintf(lang.L("roster.leave.pastKept"), m.Name, kept), p.u.Window())
				break
			}
		}
	}
	// Who stood on the days before today stays as it was (rule versions);
	// today is not before what the database has seen (editDay).
	// One save at a time per form: a second tap while it runs saved twice.
	kit.SaveOr(p.u, f, func(ctx context.Context) error {
		today, err := p.editDay(ctx)
		if err != nil {
			return err
		}
		return rosterdata.SaveKeepingPast(ctx, p.u.Store(), today, recs...)
	}, func(err error) {
		// A month the station approved: say so, and offer to keep the
		// edit as a request to unlock (nothing lost).
		if errors.Is(err, store.ErrMonthApproved) && len(recs) == 1 {
			p.offerRequest(recs[0], err, done)
			return
		}
		// A member moved away from a team a rotation cannot do without.
		var ne *rosterdata.NeededError
		if errors.As(err, &ne) && ne.Move {
			dialog.ShowInformation(lang.L("roster.move.title"), fmt.Sprintf(lang.L("roster.member.neededMove"), ne.Member, quotedRules(ne)), p.u.Window())
			return
		}
		p.u.SaveFailed(f, err)
	}, done)
}

// offerRequest tells the officer the month is approved, and keeps the
// edit as a request to unlock if they say so: the station applies it if it
// unlocks the month.
func (p *Screen) offerRequest(rec store.Record, err error, done func()) {
	month := ""
	var locked *store.MonthLockedError
	if errors.As(err, &locked) {
		month = locked.Month
	}
	msg := kit.Wrapped(fmt.Sprintf(lang.L("roster.locked.body"), month))
	note := kit.NewEntry()
	note.SetPlaceHolder(lang.L("roster.locked.note"))
	content := container.NewVBox(msg, note)
	d := dialog.NewCustomConfirm(lang.L("roster.locked.title"), lang.L("roster.locked.request"), lang.L("Cancel"), content, func(yes bool) {
		if !yes {
			return
		}
		kit.Run(p.u, func(ctx context.Context) error {
			_, err := p.u.Store().RequestUnlock(ctx, rec, note.Text, p.u.Actor())
			return err
		}, func(err error) { p.u.ShowError(lang.L("roster.locked.failed"), err) }, func() {
			dialog.ShowInformation(lang.L("roster.locked.title"), fmt.Sprintf(lang.L("roster.locked.saved"), month), p.u.Window())
			done()
		})
	}, p.u.Window())
	d.Resize(fyne.NewSize(520, 280))
	d.Show()
	p.locked = d
}

// Remove writes a tombstone for rec (nothing synced is ever erased).
func (p *Screen) Remove(rec store.Record, id string) {
	if p.refuseEdit() {
		return
	}
	kit.Save(p.u, nil, func(ctx context.Context) error {
		today, err := p.editDay(ctx)
		if err != nil {
			return err
		}
		return rosterdata.DeleteKeepingPast(ctx, p.u.Store(), today, rec, id)
	}, p.Refresh)
}

// RemoveRule takes a rule off the roster from today
// (rosterdata.DeleteRule): one that has run ends yesterday and keeps its
// past; one that has not, or has ended, is deleted.
func (p *Screen) RemoveRule(id string) {
	if p.refuseEdit() {
		return
	}
	kit.Save(p.u, nil, func(ctx context.Context) error {
		today, err := p.editDay(ctx)
		if err != nil {
			return err
		}
		_, err = rosterdata.DeleteRule(ctx, p.u.Store(), today, id)
		return err
	}, p.Refresh)
}

// RemoveMember deletes a member who left (rosterdata.DeleteMember: the
// rules listing them go on without them from today, the past keeps
// them); one a rule still needs is refused with the rules to change first.
func (p *Screen) RemoveMember(id string) {
	p.removeNeeded(func(ctx context.Context, today schedule.Date) error {
		return rosterdata.DeleteMember(ctx, p.u.Store(), today, id)
	}, p.Refresh)
}

// RemoveTeam deletes a team with its members (rosterdata.DeleteTeam);
// one rules still draw on is refused, naming them. done runs after.
func (p *Screen) RemoveTeam(id string, done func()) {
	p.removeNeeded(func(ctx context.Context, today schedule.Date) error {
		return rosterdata.DeleteTeam(ctx, p.u.Store(), today, id)
	}, func() {
		done()
		p.Refresh()
	})
}

func (p *Screen) removeNeeded(del func(context.Context, schedule.Date) error, done func()) {
	if p.refuseEdit() {
		return
	}
	kit.Run(p.u, func(ctx context.Context) error {
		today, err := p.editDay(ctx)
		if err != nil {
			return err
		}
		return del(ctx, today)
	}, func(err error) {
		var ne *rosterdata.NeededError
		if !errors.As(err, &ne) {
			p.u.SaveFailed(nil, err)
			return
		}
		msg := fmt.Sprintf(lang.L("roster.member.needed"), ne.Member, quotedRules(ne))
		if ne.Team != "" {
			msg = fmt.Sprintf(lang.L("roster.team.needed"), ne.Team, quotedRules(ne))
		}
		dialog.ShowInformation(lang.L("roster.needed.title"), msg, p.u.Window())
	}, done)
}

// quotedRules are the rules a refused deletion or move names, each in
// 「」: 「夜巡」「护学岗」.
func quotedRules(ne *rosterdata.NeededError) string {
	return "「" + strings.Join(ne.Rules, "」「") + "」"
}

// describeSpec says a rule's calendar the way the village writes it
// (农历逢二、五、十); a spec this version cannot read is shown as stored.
func describeSpec(spec string) string {
	var sp schedule.Spec
	if err := json.Unmarshal([]byte(spec), &sp); err != nil {
		return spec
	}
	if err := sp.Validate(); err != nil {
		return spec
	}
	return sp.Describe()
}

// recheckText says why the officer should check a stored rule's days
// (schedule.Recheck), or "": its words read otherwise now, or it was saved
// without them and its days can only be the old reading of 逢2、5、10.
func recheckText(spec string) string {
	var sp schedule.Spec
	if err := json.Unmarshal([]byte(spec), &sp); err != nil || sp.Validate() != nil {
		return ""
	}
	switch why, now := schedule.Recheck(sp); why {
	case schedule.RecheckOldReading:
		return fmt.Sprintf(lang.L("roster.rule.recheck.old"), sp.Describe())
	case schedule.RecheckRereads:
		return fmt.Sprintf(lang.L("roster.rule.recheck.rereads"), sp.Text, now.Describe(), sp.Describe())
	}
	return ""
}

// ruleText says a shift rule in one line: what, when, how many.
func ruleText(r store.ShiftRule, d tab.Data) string {
	text := kit.JoinDistinct("  ·  ", r.Name, kit.CodeWord("shift", r.Kind), describeSpec(r.Spec), r.Windows)
	if r.MinPeople > 0 {
		text += "  ·  " + fmt.Sprintf(lang.L("patrol.minPeople"), r.MinPeople)
	}
	switch {
	case r.ValidFrom != "" && r.ValidTo != "":
		text += "  ·  " + fmt.Sprintf(lang.L("roster.rule.between"), r.ValidFrom, r.ValidTo)
	case r.ValidFrom != "":
		text += "  ·  " + fmt.Sprintf(lang.L("roster.rule.since"), r.ValidFrom)
	case r.ValidTo != "":
		text += "  ·  " + fmt.Sprintf(lang.L("roster.rule.until"), r.ValidTo)
	}
	if r.Rotate > 0 {
		text += "  ·  " + fmt.Sprintf(lang.L("patrol.rotate"), r.Rotate)
	}
	var ps []string
	for _, id := range r.People {
		if n := d.MemberName(id); n != "" {
			ps = append(ps, n)
		}
	}
	if len(ps) > 0 {
		text += "\n" + lang.L("patrol.rotation") + kit.JoinWith(" → ", ps...)
	}
	var vs []schedule.Version
	// A rule that ended keeps all its days: an edit after (its team's
	// members leaving) changed none of them, so there is nothing to say.
	if r.Versions != "" && json.Unmarshal([]byte(r.Versions), &vs) == nil && len(vs) > 0 &&
		(r.ValidTo == "" || vs[len(vs)-1].Until.String() < r.ValidTo) {
		text += "\n" + fmt.Sprintf(lang.L("roster.rule.versions"), vs[len(vs)-1].Until)
	}
	if note := recheckText(r.Spec); note != "" {
		text += "\n" + note
	}
	return text
}

// RecordCard is one record in a tab's list: what it says, a button that
// edits it and one that deletes it once the officer said yes to its name
// (neither where the screen only shows: a station's).
func (p *Screen) RecordCard(title, subtitle, text string, edit func(), name string, del func()) fyne.CanvasObject {
	return p.RecordCardAsking(title, subtitle, text, edit, fmt.Sprintf(lang.L("roster.delete.question"), name), del)
}

// RecordCardAsking is RecordCard whose delete button asks question.
func (p *Screen) RecordCardAsking(title, subtitle, text string, edit func(), question string, del func()) fyne.CanvasObject {
	l := kit.Wrapped(text)
	if p.readOnly {
		return widget.NewCard(title, subtitle, l)
	}
	e := widget.NewButtonWithIcon(lang.L("roster.edit"), theme.DocumentCreateIcon(), edit)
	d := widget.NewButtonWithIcon(lang.L("roster.delete"), theme.DeleteIcon(), func() { p.u.ConfirmDeleteSaying(question, del) })
	return widget.NewCard(title, subtitle, container.NewVBox(l, container.NewHBox(layout.NewSpacer(), e, d)))
}

// Env is the window the screen is in, as its tabs see it.
func (p *Screen) Env() kit.Base { return p.u }

// Owner is the post whose records show ("" every post's, or a post's own).
func (p *Screen) Owner() string { return p.owner }

// Data are the records loaded by the last refresh.
func (p *Screen) Data() *tab.Data { return &p.data }

var _ tab.Host = (*Screen)(nil)
