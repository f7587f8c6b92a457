package rostercmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/app/dutytable"
	"cunjing/print/duty"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/printlog"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// Roster expands the shift rules over --from..--to; `roster
// confirm-today` says which day is today (cmdConfirmToday).
func Roster(ctx context.Context, env *clikit.Env, args []string) error {
	if len(args) > 0 && args[0] == "confirm-today" {
		return cmdConfirmToday(ctx, env, args[1:])
	}
	fs, db := clikit.NewDBFlags(env, "roster")
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD")
	post := postFlag(fs)
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	f, err := schedule.ParseDate(*from)
	if err != nil {
		return fmt.Errorf("%w: --from: %v", clikit.ErrUsage, err)
	}
	t, err := schedule.ParseDate(*to)
	if err != nil {
		return fmt.Errorf("%w: --to: %v", clikit.ErrUsage, err)
	}
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	w, err := rosterOf(ctx, s, "roster", *post)
	if err != nil {
		return err
	}
	if err := warnClock(ctx, env, s, *db); err != nil {
		return err
	}
	var in schedule.Input
	if w.owner == "" {
		in, err = rosterdata.ScheduleInput(ctx, s)
	} else {
		in, err = rosterdata.ScheduleInputOf(ctx, s, w.owner)
	}
	if err != nil {
		return err
	}
	sch, err := schedule.Expand(in, f, t)
	if err != nil {
		return err
	}
	// A year the holiday calendar does not hold is planned as ordinary
	// days: say so, beside the slots (also with --json, on stderr).
	for _, g := range sch.HolidayGaps {
		fmt.Fprintln(env.Stderr, "warning: "+g.String())
	}
	slots := sch.Slots
	if slots == nil {
		slots = []schedule.Slot{}
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, slots)
	}
	for _, sl := range slots {
		fmt.Fprintf(env.Stdout, "%s %s-%s %-6s %-10s %-8s %v", sl.Date, sl.Start, sl.End, sl.Kind, sl.Rule, sl.Team, sl.People)
		for _, c := range sl.Conflicts {
			fmt.Fprintf(env.Stdout, " !%s", c.Kind)
			if c.Person != "" {
				fmt.Fprintf(env.Stdout, ":%s", c.Person)
			}
		}
		fmt.Fprintln(env.Stdout)
	}
	return nil
}

// PrintRoster prints the duty table of a month or of the Monday-to-
// Sunday week holding a date.
func PrintRoster(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "print roster")
	month := fs.String("month", "", "month to print, YYYY-MM (default: this month, as the roster knows today)")
	week := fs.String("week", "", "print the week (Monday to Sunday) holding this day, YYYY-MM-DD")
	out := fs.String("out", "", "PDF file to write (.xlsx writes a spreadsheet)")
	post := postFlag(fs)
	fontPath := clikit.FontFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: --out FILE.pdf is required", clikit.ErrUsage)
	}
	var (
		from, to schedule.Date
		period   string
		err      error
	)
	switch {
	case *month != "" && *week != "":
		return fmt.Errorf("%w: give either --month YYYY-MM or --week YYYY-MM-DD, not both", clikit.ErrUsage)
	case *month == "" && *week == "":
		// this month, as the roster knows today (below, once open)
	case *week != "":
		if from, to, period, err = dutytable.WeekOf(*week); err != nil {
			return fmt.Errorf("%w: --week: %v", clikit.ErrUsage, err)
		}
	default:
		if from, to, period, err = dutytable.MonthRange(*month); err != nil {
			return fmt.Errorf("%w: --month: %v", clikit.ErrUsage, err)
		}
	}
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	w, err := rosterOf(ctx, s, "print roster", *post)
	if err != nil {
		return err
	}
	if err := warnClock(ctx, env, s, *db); err != nil {
		return err
	}
	now := env.Now()
	if *month == "" && *week == "" {
		// Neither given: the month of the roster's today (EditDayOf: not
		// before what the file has seen, whatever the PC's date), said.
		d, err := rosterdata.EditDayOf(ctx, s, now)
		if err != nil {
			return err
		}
		y, m, _ := d.Day.YMD()
		this := fmt.Sprintf("%04d-%02d", y, m)
		if from, to, period, err = dutytable.MonthRange(this); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "print roster: no --month or --week given: printing %s, the month of the roster's today\n", this)
	}
	t, err := dutytable.BuildOf(ctx, s, w.owner, w.name, from, to, period, now)
	if err != nil {
		return err
	}
	return clikit.WriteOutput(*out, func(w io.Writer) error {
		if strings.HasSuffix(strings.ToLower(*out), ".xlsx") {
			return duty.WriteXLSX(w, t)
		}
		font, err := fonts.Find(*fontPath)
		if err != nil {
			return err
		}
		return duty.WritePDF(ctx, w, font, t)
	}, func() error {
		return printlog.SaveRoster(ctx, s, &store.PrintRecord{Kind: "roster", Template: fmt.Sprintf("%s..%s", from, to), Copies: 1, PrintedAt: now.Format("2006-01-02 15:04:05")}, w.owner)
	})
}
