package rostercmd

// cunjing roster confirm-today: the officer's answer to which day is today
// when the PC's date is before what the roster's file has seen (its
// high-water mark), as 巡逻排班's 电脑日期是对的… gives it in the window —
// the same use case (rosterdata.TodayOf, ConfirmToday, ConfirmStationDate)
// in the same words (clockwords) —, and the warning the roster commands
// print while it is unanswered.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"cunjing/app/cli/clikit"
	clockwords "cunjing/app/lang/translations/roster"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/almanac"
)

// TodayResult is what `roster confirm-today --json` prints.
type TodayResult struct {
	// Today is the day confirmed (edits apply from it), or the PC's when
	// there was nothing to confirm.
	Today string `json:"today"`
	// By says whose date it is: "pc" (the computer's) or "station" (a
	// paired device's, --station-date).
	By string `json:"by"`
	// Confirmed is false when the PC's date was not before what the file
	// has seen: nothing to confirm, nothing written.
	Confirmed bool `json:"confirmed"`
	// Was is the latest day the file had seen before ("" when nothing
	// was confirmed).
	Was string `json:"was,omitempty"`
	// Message says it in Chinese, as the text output does.
	Message string `json:"message"`
}

func cmdConfirmToday(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "roster confirm-today")
	station := fs.Bool("station-date", false, "take the date a paired device (the station) measured, not the computer's: when it measured this PC's clock behind (until the computer's date is set right)")
	asJSON := clikit.JSONFlag(fs)
	s, err := clikit.ParseOpen(ctx, env, fs, args, db)
	if err != nil {
		return err
	}
	defer s.Close()
	if s.Role() != store.RolePost {
		return fmt.Errorf("%w: %s", clikit.ErrUsage, fmt.Sprintf(clockwords.Zh("roster.cli.notPost"), roleWords(s.Role())))
	}
	now := env.Now()
	st, err := rosterdata.TodayOf(ctx, s, now)
	if err != nil {
		return err
	}
	d := st.Day
	if d.Impossible != nil {
		return errors.New(clockwords.Wrong(clockwords.Zh, d.Impossible))
	}
	res := TodayResult{Today: d.PC.String(), By: "pc"}
	switch {
	case *station:
		se := st.Measured(now)
		if se == nil || se.Ahead() {
			msg := fmt.Sprintf(clockwords.Zh("roster.cli.noStation"), int(rosterdata.ClockFreshFor/(24*time.Hour)))
			if se != nil {
				msg = clockwords.Measured(clockwords.Zh, se)
			}
			return errors.New(msg)
		}
		was := d.Seen
		day, err := rosterdata.ConfirmStationDate(ctx, s, now, clikit.User(), "cli", st.Peers)
		if err != nil {
			return err
		}
		res = TodayResult{Today: day.String(), By: "station", Confirmed: true, Was: dateOrEmpty(was),
			Message: fmt.Sprintf(clockwords.Zh("roster.cli.confirmed"), day, clockwords.Who(clockwords.Zh, se))}
	case !d.ClockBehind():
		res.Message = fmt.Sprintf(clockwords.Zh("roster.cli.nothing"), d.PC)
	default:
		was, err := rosterdata.ConfirmToday(ctx, s, now, clikit.User(), "cli", st.Peers)
		var se *rosterdata.StationDateError
		if errors.As(err, &se) {
			return errors.New(refusal(se, *db))
		}
		var wrong *almanac.DateImpossibleError
		if errors.As(err, &wrong) {
			return errors.New(clockwords.Wrong(clockwords.Zh, wrong))
		}
		if err != nil {
			return err
		}
		res.Confirmed, res.Was = true, dateOrEmpty(max(was, d.Seen))
		res.Message = fmt.Sprintf(clockwords.Zh("roster.cli.confirmed"), d.PC, clockwords.Zh("roster.cli.pc"))
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, res)
	}
	fmt.Fprintln(env.Stdout, res.Message)
	return nil
}

// refusal says why the PC's date is not taken (a paired device measured
// the clock off) and what to run or do instead.
func refusal(se *rosterdata.StationDateError, db string) string {
	msg := clockwords.Measured(clockwords.Zh, se)
	if !se.Ahead() {
		msg += fmt.Sprintf(clockwords.Zh("roster.cli.stationDate"), shellWord(db), schedule.FromTime(se.Today()), clockwords.Who(clockwords.Zh, se))
	}
	return msg
}

// clockNotice is what the roster commands say on stderr about s's clock
// at now (db the --db given): nothing when the PC's date is not before
// what the file has seen; else that edits apply from the later day and
// what to run — `roster confirm-today` —, or that a paired device
// measured the clock off (then its date, --station-date, unless taken
// already), or that the date cannot be today (set the computer's date).
func clockNotice(ctx context.Context, env *clikit.Env, s *store.Store, db string) (string, error) {
	if s.Role() != store.RolePost {
		return "", nil // a station's roster of its posts is read only
	}
	now := env.Now()
	st, err := rosterdata.TodayOf(ctx, s, now)
	if err != nil {
		return "", err
	}
	d := st.Day
	switch {
	case d.Impossible != nil:
		msg := clockwords.Wrong(clockwords.Zh, d.Impossible)
		if d.ClockBehind() {
			msg += fmt.Sprintf(clockwords.Zh("roster.clock.meanwhile"), d.Day)
		}
		return msg, nil
	case !d.ClockBehind():
		return "", nil
	}
	if se := st.Measured(now); se != nil && (se.Ahead() || d.Day != schedule.FromTime(se.Today())) {
		return refusal(se, db), nil
	} else if se != nil {
		// Edits apply from the station's date already (taken): until
		// the computer's date is set right, that is all to say.
		return clockwords.Behind(clockwords.Zh, d), nil
	}
	return clockwords.Behind(clockwords.Zh, d) + fmt.Sprintf(clockwords.Zh("roster.cli.confirm"), shellWord(db), d.PC), nil
}

// warnClock prints clockNotice on stderr, as a warning (the command goes
// on: the roster it shows does not depend on which day is today).
func warnClock(ctx context.Context, env *clikit.Env, s *store.Store, db string) error {
	msg, err := clockNotice(ctx, env, s, db)
	if msg != "" {
		fmt.Fprintln(env.Stderr, "warning: "+msg)
	}
	return err
}

// shellWord is path as a shell word: quoted when it holds a space or a
// quote.
func shellWord(path string) string {
	if strings.ContainsAny(path, " \t'\"$`\\") {
		return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
	}
	return path
}

func dateOrEmpty(d schedule.Date) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// roleWords is a database's role as the Chinese sentences name it.
func roleWords(role string) string {
	switch role {
	case store.RoleStation:
		return "派出所"
	case store.RoleCounty:
		return "县公安局"
	}
	return "警务室"
}
