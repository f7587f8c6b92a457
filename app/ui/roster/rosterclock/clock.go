// Package rosterclock is 巡逻排班's line about the PC's clock: when the
// PC's date is before what the database has seen, or cannot be today at
// all, it says so above the tabs, and lets an officer say which day is
// today (rosterdata.ConfirmToday). A part of package roster, which wires
// it; it never imports roster.
package rosterclock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	clockwords "cunjing/app/lang/translations/roster"
	"cunjing/app/ui/kit"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/almanac"
)

// Env is what the line needs of the window: who is at the keyboard (who
// may confirm the date, whom the audit log names).
type Env interface {
	kit.Base
	Actor() string
	// Who may say the PC's date is right (Confirm): not an auxiliary
	// logged in as one.
	HasAccounts() bool
	UserRole() string
}

// Line is the clock's status line and its button.
type Line struct {
	u       Env
	now     func() time.Time
	refresh func()
	// Note says the PC's date is before what the database has seen
	// (Show).
	Note *kit.Message
	// OK (电脑日期是对的…; 今天是哪一天… when a paired device measured
	// the clock off) lets an officer say the PC's date is today after
	// its clock ran ahead and was set right (Confirm); Dlg is the
	// question it asks (tests answer it).
	OK    *widget.Button
	Dlg   dialog.Dialog
	day   rosterdata.EditDay
	peers []rosterdata.PeerClock
}

// State is what the line shows and asks with: the day an edit applies
// from, and what paired devices last measured of this PC's clock
// (rosterdata.TodayOf reads it, for the command line too).
type State = rosterdata.TodayState

// Load reads the line's State at now (the screen's refresh calls it off
// the UI goroutine).
func Load(ctx context.Context, s *store.Store, now time.Time) (State, error) {
	st, err := rosterdata.TodayOf(ctx, s, now)
	st.Peers = rosterdata.Rebase(st.Peers, watch.Look(now))
	return st, err
}

// watch notices this PC's clock set while the window runs, so a
// measurement taken before is re-based on the new setting
// (rosterdata.Rebase: a clock put forward 2 of the 5 days measured slow
// is 3 days slow, not 5).
var watch = rosterdata.NewClockWatch()

// New builds the line, hidden; now is the screen's clock and refresh
// reloads the screen once the date is confirmed.
func New(u Env, now func() time.Time, refresh func()) *Line {
	l := &Line{u: u, now: now, refresh: refresh, Note: kit.NewMessage()}
	l.Note.SetImportance(widget.WarningImportance)
	l.Note.Hide()
	l.OK = widget.NewButtonWithIcon(lang.L("roster.clock.right"), theme.ConfirmIcon(), l.Confirm)
	l.OK.Hide()
	return l
}

// Object is the line with its button on the right.
func (l *Line) Object() fyne.CanvasObject {
	return container.NewBorder(nil, nil, nil, container.NewCenter(l.OK), l.Note)
}

// Show says, on the screen's status line, when the PC's date is
// before what the database has seen, or cannot be today at all (then no
// confirming it: the officer is told to set the computer's date).
func (l *Line) Show(st State) {
	d := st.Day
	l.day, l.peers = d, st.Peers
	if !d.ClockBehind() && d.Impossible == nil {
		l.Note.Hide()
		l.OK.Hide()
		return
	}
	var text string
	switch {
	case d.Impossible != nil:
		text = WrongText(d.Impossible)
		if d.ClockBehind() {
			text += fmt.Sprintf(lang.L("roster.clock.meanwhile"), d.Day)
		}
		l.OK.Hide()
	case l.mayConfirm():
		text = clockwords.Behind(windowL, d)
		// A paired device measured the clock off: the PC's date is not
		// offered (Confirm asks with the device's), so the button does
		// not promise it.
		if st.Measured(l.now()) != nil {
			l.OK.SetText(lang.L("roster.clock.which"))
		} else {
			l.OK.SetText(lang.L("roster.clock.right"))
		}
		l.OK.Show()
	default:
		text = clockwords.Behind(windowL, d) + lang.L("roster.clock.officerOnly")
		l.OK.Hide()
	}
	// Shown, then given its text, in one Relaid: given its text while
	// hidden and shown after, the line was never laid out and was drawn
	// over the tabs (the top of the border kept no height for it).
	kit.Relaid(l.Note, func() {
		l.Note.Show()
		l.Note.SetText(text)
	})
}

// WrongText says why the PC's date cannot be today and what to do:
// set the computer's date (a flat clock battery reads 1999).
func WrongText(e *almanac.DateImpossibleError) string { return clockwords.Wrong(windowL, e) }

// mayConfirm: anyone but an auxiliary logged in as one may say the
// PC's date is right (as only they may restore a backup, 设置).
func (l *Line) mayConfirm() bool {
	return !(l.u.HasAccounts() && l.u.UserRole() == store.UserAuxiliary)
}

// Confirm asks which day is today: the PC's date or the latest the
// database has seen. A PC whose clock ran ahead (the year typed wrong)
// and was set right cannot tell itself from one whose clock fell behind
// (a flat battery), and without the officer's word every edit would
// apply from the later day until it came. Saying the PC's date is right
// sets the database's mark back (rosterdata.ConfirmToday, written in the
// audit log); said of a PC whose date is really wrong, it would let edits
// change past rosters, which the question says. When a paired device
// measured this PC's clock off by more than a day (rosterdata.OutsideClock)
// the PC's date is not offered: askStation offers that device's instead.
func (l *Line) Confirm() {
	if !l.mayConfirm() {
		return
	}
	d := l.day
	if d.Impossible != nil {
		return // not offered (Show)
	}
	if se := (State{Day: d, Peers: l.peers}).Measured(l.now()); se != nil {
		l.askStation(se)
		return
	}
	peers := l.peers
	msg := kit.Wrapped(fmt.Sprintf(lang.L("roster.clock.confirm.body"), d.PC, d.Seen))
	dlg := dialog.NewCustomConfirm(lang.L("roster.clock.confirm.title"), fmt.Sprintf(lang.L("roster.clock.confirm.pc"), d.PC),
		fmt.Sprintf(lang.L("roster.clock.confirm.seen"), d.Seen), msg, func(yes bool) {
			if !yes {
				return
			}
			kit.Run(l.u, func(ctx context.Context) error {
				_, err := rosterdata.ConfirmToday(ctx, l.u.Store(), l.now(), l.u.Actor(), l.u.UserRole(), peers)
				return err
			}, func(err error) {
				// A device measured the clock meanwhile (a sync).
				var se *rosterdata.StationDateError
				if errors.As(err, &se) {
					l.askStation(se)
					return
				}
				// The date became impossible meanwhile (a sync brought
				// later news): said in words, not as an error.
				var wrong *almanac.DateImpossibleError
				if errors.As(err, &wrong) {
					dialog.ShowInformation(lang.L("roster.clock.wrongTitle"), WrongText(wrong), l.u.Window())
					l.refresh()
					return
				}
				l.u.ShowError(lang.L("error.save"), err)
			}, l.refresh)
		}, l.u.Window())
	dlg.Resize(fyne.NewSize(560, 300))
	dlg.Show()
	l.Dlg = dlg
}

// askStation says that a paired device measured this PC's clock off
// (se), so its date, not the PC's, is most likely today, and offers to
// take that date (rosterdata.ConfirmStationDate: edits apply from it
// until the computer's date is set right) or cancel. A clock measured
// ahead is only said: the mark cannot go back past the PC's own clock,
// so the computer's date must be set.
func (l *Line) askStation(se *rosterdata.StationDateError) {
	who := clockwords.Who(windowL, se)
	today := schedule.FromTime(se.Today())
	body := kit.Wrapped(clockwords.Measured(windowL, se))
	var dlg dialog.Dialog
	if se.Ahead() {
		dlg = dialog.NewCustom(lang.L("roster.clock.confirm.title"), lang.L("roster.clock.station.cancel"), body, l.u.Window())
	} else {
		peers := l.peers
		dlg = dialog.NewCustomConfirm(lang.L("roster.clock.confirm.title"), fmt.Sprintf(lang.L("roster.clock.station.take"), today, who),
			lang.L("roster.clock.station.cancel"), body, func(yes bool) {
				if !yes {
					return
				}
				kit.Run(l.u, func(ctx context.Context) error {
					_, err := rosterdata.ConfirmStationDate(ctx, l.u.Store(), se.PC, l.u.Actor(), l.u.UserRole(), peers)
					return err
				}, func(err error) { l.u.ShowError(lang.L("error.save"), err) }, l.refresh)
			}, l.u.Window())
	}
	dlg.Resize(fyne.NewSize(560, 300))
	dlg.Show()
	l.Dlg = dlg
}

// windowL is Fyne's lang.L as clockwords takes it.
func windowL(key string) string { return lang.L(key) }

// CheckDay is the day a check made at now is dated in the window (a
// holiday's 核实: rosterdata.TodayState.CheckDay, as `cunjing holidays`
// dates it) and the sentence saying which and why; a
// *rosterdata.DayUnknownError while the PC's clock is known off
// (Unknown says it).
func CheckDay(ctx context.Context, s *store.Store, now time.Time) (day, said string, err error) {
	st, err := Load(ctx, s, now)
	if err != nil {
		return "", "", err
	}
	d, se, err := st.CheckDay(now)
	if err != nil {
		return "", "", err
	}
	return d.String(), clockwords.CheckDay(windowL, d, se), nil
}

// Unknown is a save's failure handler (kit.SaveOr) for a check dated by
// CheckDay: a *rosterdata.DayUnknownError is said in a dialog (why the
// PC's date is not taken, and how on: the line's button, 今天是哪一天…,
// when it shows, else set the computer's date); another error goes to
// failed.
func (l *Line) Unknown(failed func(error)) func(error) {
	return func(err error) {
		var e *rosterdata.DayUnknownError
		if !errors.As(err, &e) {
			failed(err)
			return
		}
		way := lang.L("roster.day.windowStation")
		if l.OK.Visible() {
			way = fmt.Sprintf(lang.L("roster.day.window"), l.OK.Text)
		}
		dlg := dialog.NewCustom(lang.L("roster.day.title"), lang.L("OK"), kit.Wrapped(clockwords.Unknown(windowL, e)+way), l.u.Window())
		dlg.Resize(fyne.NewSize(560, 260))
		dlg.Show()
		l.Dlg = dlg
	}
}
