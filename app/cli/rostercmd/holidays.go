package rostercmd

// cunjing holidays: the holiday calendar rosters use. A station lists it,
// confirms a year's shipped defaults (storing them as its own records, so
// they reach every post at the next sync), adds or corrects entries and
// deletes them; a post may add its county's school calendar.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"cunjing/app/cli/clikit"
	clockwords "cunjing/app/lang/translations/roster"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

func Holidays(ctx context.Context, env *clikit.Env, args []string) error {
	return clikit.Dispatch(ctx, env, "holidays", map[string]clikit.Func{
		"list": cmdHolidaysList, "add": cmdHolidaysAdd, "confirm": cmdHolidaysConfirm, "delete": cmdHolidaysDelete,
	}, args)
}

// HolidayRow is one line of `holidays list --json`.
type HolidayRow struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	From      string `json:"from"`
	To        string `json:"to"`
	Confirmed bool   `json:"confirmed"`
	Source    string `json:"source"`
	Stored    bool   `json:"stored"` // a record here (else a shipped default)
	// Whose: shipped, station (published by the station), post (the
	// post's own); Shadowed marks a post's entry the station's of the same
	// year, kind and name replaces (rosterdata.HolidayEntry).
	Whose    string `json:"whose"`
	Shadowed bool   `json:"shadowed,omitempty"`
	// CheckedOn is the day a confirmed entry was checked (its 核实 date).
	CheckedOn string `json:"checked_on,omitempty"`
}

var holidayKindNames = map[string]string{
	schedule.HolidayPublic:  "放假",
	schedule.HolidayWorkday: "调休上班",
	schedule.HolidaySchool:  "学校放假",
}

var holidayFromNames = map[string]string{
	rosterdata.HolidayShipped:     "默认",
	rosterdata.HolidayFromStation: "派出所",
	rosterdata.HolidayFromPost:    "本警务室",
}

func cmdHolidaysList(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "holidays list")
	year := fs.Int("year", 0, "only this year")
	asJSON := clikit.JSONFlag(fs)
	s, err := clikit.ParseOpen(ctx, env, fs, args, db)
	if err != nil {
		return err
	}
	defer s.Close()
	es, err := rosterdata.HolidayEntries(ctx, s)
	if err != nil {
		return err
	}
	rows := []HolidayRow{}
	for _, h := range es {
		if y, _, _ := h.Dates.From.YMD(); *year != 0 && y != *year {
			continue
		}
		rows = append(rows, HolidayRow{ID: h.ID, Name: h.Name, Kind: h.Kind, From: h.Dates.From.String(), To: h.Dates.To.String(),
			Confirmed: h.Confirmed, Source: h.Source, Stored: h.Record != nil, Shadowed: h.Shadowed, Whose: h.From, CheckedOn: checkedOn(h)})
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, rows)
	}
	for _, r := range rows {
		state := "已核实"
		if !r.Confirmed {
			state = "待核实"
		}
		dates := r.From
		if r.To != r.From {
			dates += " 至 " + r.To
		}
		whose := holidayFromNames[r.Whose]
		if r.Shadowed {
			whose += "（派出所的同名安排优先）"
		}
		fmt.Fprintf(env.Stdout, "%-24s %-8s %-6s %s  %s  %s\n", dates, r.Name, holidayKindNames[r.Kind], state, whose, r.Source)
	}
	if len(rows) == 0 {
		fmt.Fprintln(env.Stdout, "no holidays")
	}
	return nil
}

func cmdHolidaysAdd(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "holidays add")
	name := fs.String("name", "", "name: 元旦, 春节, 寒假 …")
	kind := fs.String("kind", schedule.HolidayPublic, "public (放假), workday (调休上班) or school (学校放假)")
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD (default: the first)")
	source := fs.String("source", "", "where the dates come from (a notice number, the county's school calendar)")
	confirmed := fs.Bool("confirmed", false, "the dates are checked (else shown as 待核实)")
	today := checkDayFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		*to = *from
	}
	if _, err := env.CheckDay(*today); err != nil {
		return err
	}
	h := store.Holiday{Name: *name, Kind: *kind, DateFrom: *from, DateTo: *to, Source: *source, Confirmed: *confirmed}
	if err := (&store.Holiday{Name: strings.TrimSpace(h.Name), Kind: h.Kind, DateFrom: h.DateFrom, DateTo: h.DateTo}).Validate(); err != nil {
		return fmt.Errorf("%w: %v", clikit.ErrUsage, err)
	}
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var day, said string
	if *confirmed { // the day is the 核实 date: unused otherwise
		if day, said, err = checkDay(ctx, env, s, *today, *db); err != nil {
			return err
		}
	}
	if err := rosterdata.SaveHoliday(ctx, s, &h, day); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %s..%s saved (%s)\n", h.Name, h.DateFrom, h.DateTo, h.ID)
	if said != "" {
		fmt.Fprintln(env.Stdout, said)
	}
	return nil
}

// checkDayFlag declares --today, the 核实 date of holidays add and
// confirm: by default the day rosterdata.TodayState.CheckDay gives
// (checkDay).
func checkDayFlag(fs *flag.FlagSet) *string {
	return fs.String("today", "", "the day of the check, YYYY-MM-DD (default today: the computer's date, or the station's once taken with roster confirm-today --station-date; refused while the computer's clock is known to be off)")
}

// checkDay is the date a check is dated — given (--today), else today as
// the roster knows it (rosterdata.TodayOf, TodayState.CheckDay: the
// computer's date, or the station's once taken) — and the sentence saying
// which and why. While the computer's clock is known off (a paired device
// measured it, its date is before what the file has seen, or cannot be
// today) and no date was given, it refuses, saying why and how on:
// --today (the station's date as the example, when it measured), roster
// confirm-today at a post, or the computer's date set.
func checkDay(ctx context.Context, env *clikit.Env, s *store.Store, given, db string) (day, said string, err error) {
	if given != "" {
		if day, err = env.CheckDay(given); err != nil {
			return "", "", err
		}
		return day, fmt.Sprintf(clockwords.Zh("roster.day.given"), day), nil
	}
	now := env.Now()
	st, err := rosterdata.TodayOf(ctx, s, now)
	if err != nil {
		return "", "", err
	}
	d, se, err := st.CheckDay(now)
	var unknown *rosterdata.DayUnknownError
	if errors.As(err, &unknown) {
		example := "YYYY-MM-DD"
		if m := unknown.Measured; m != nil {
			example = schedule.FromTime(m.Today()).String()
		}
		msg := clockwords.Unknown(clockwords.Zh, unknown) + fmt.Sprintf(clockwords.Zh("roster.day.cli"), example)
		if unknown.Measured == nil && unknown.Day.Impossible == nil && s.Role() == store.RolePost {
			msg += fmt.Sprintf(clockwords.Zh("roster.day.cliConfirm"), shellWord(db))
		}
		return "", "", errors.New(msg)
	}
	if err != nil {
		return "", "", err
	}
	return d.String(), clockwords.CheckDay(clockwords.Zh, d, se), nil
}

// cmdHolidaysConfirm marks a year's calendar as checked: the stored
// entries of the year, and the shipped defaults still in use for it, which
// become records of this device (a station's reach its posts).
func cmdHolidaysConfirm(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "holidays confirm")
	year := fs.Int("year", 0, "the year to confirm")
	kind := fs.String("kind", "", "only public (放假 and 调休上班) or school holidays")
	today := checkDayFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *year == 0 {
		return fmt.Errorf("%w: --year is required", clikit.ErrUsage)
	}
	if *kind != "" && *kind != schedule.HolidayPublic && *kind != schedule.HolidaySchool {
		return fmt.Errorf("%w: --kind must be public or school", clikit.ErrUsage)
	}
	if _, err := env.CheckDay(*today); err != nil {
		return err
	}
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	day, said, err := checkDay(ctx, env, s, *today, *db)
	if err != nil {
		return err
	}
	n, err := rosterdata.ConfirmHolidays(ctx, s, *year, *kind, day)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(env.Stdout, "nothing to confirm in %d\n", *year)
		return nil
	}
	fmt.Fprintf(env.Stdout, "%d holidays of %d confirmed\n", n, *year)
	fmt.Fprintln(env.Stdout, said)
	return nil
}

func cmdHolidaysDelete(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "holidays delete")
	id := fs.String("id", "", "the holiday's id (holidays list --json)")
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *id == "" || strings.HasPrefix(*id, "default/") {
		return fmt.Errorf("%w: --id of a stored holiday is required (a shipped default goes away when its year is stored)", clikit.ErrUsage)
	}
	s, err := clikit.OpenDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := rosterdata.DeleteHoliday(ctx, s, *id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no holiday %s", *id)
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %s..%s deleted\n", h.Name, h.DateFrom, h.DateTo)
	return nil
}

// checkedOn is the 核实 date of a stored entry ("" for a default).
func checkedOn(h rosterdata.HolidayEntry) string {
	if h.Record == nil {
		return ""
	}
	return h.Record.CheckedOn
}
