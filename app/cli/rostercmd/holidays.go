package rostercmd

// cunjing holidays: the holiday calendar rosters use. A station lists it,
// confirms a year's shipped defaults (storing them as its own records, so
// they reach every post at the next sync), adds or corrects entries and
// deletes them; a post may add its county's school calendar.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"cunjing/app/cli/clikit"
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
			Confirmed: h.Confirmed, Source: h.Source, Stored: h.Record != nil, Shadowed: h.Shadowed, Whose: h.From})
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
	today := clikit.CheckDayFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		*to = *from
	}
	day, err := env.CheckDay(*today)
	if err != nil {
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
	if err := rosterdata.SaveHoliday(ctx, s, &h, day); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %s..%s saved (%s)\n", h.Name, h.DateFrom, h.DateTo, h.ID)
	return nil
}

// cmdHolidaysConfirm marks a year's calendar as checked: the stored
// entries of the year, and the shipped defaults still in use for it, which
// become records of this device (a station's reach its posts).
func cmdHolidaysConfirm(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "holidays confirm")
	year := fs.Int("year", 0, "the year to confirm")
	kind := fs.String("kind", "", "only public (放假 and 调休上班) or school holidays")
	today := clikit.CheckDayFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *year == 0 {
		return fmt.Errorf("%w: --year is required", clikit.ErrUsage)
	}
	if *kind != "" && *kind != schedule.HolidayPublic && *kind != schedule.HolidaySchool {
		return fmt.Errorf("%w: --kind must be public or school", clikit.ErrUsage)
	}
	s, day, err := clikit.OpenDBOnDay(ctx, env, *db, *today)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := rosterdata.ConfirmHolidays(ctx, s, *year, *kind, day)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(env.Stdout, "nothing to confirm in %d\n", *year)
		return nil
	}
	fmt.Fprintf(env.Stdout, "%d holidays of %d confirmed\n", n, *year)
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
