package householdcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/app/infile"
	"cunjing/print/fonts"
	"cunjing/print/sheet"
	"cunjing/store"
	"cunjing/store/ledger"
)

// importCommands and exportCommands are the `cunjing import WHAT` and
// `cunjing export WHAT` sub-commands; other areas may add theirs.
func importCommands() map[string]clikit.Func {
	return map[string]clikit.Func{
		"households": cmdImportHouseholds,
	}
}

func exportCommands() map[string]clikit.Func {
	return map[string]clikit.Func{
		"households": cmdExportHouseholds,
	}
}

func Import(ctx context.Context, env *clikit.Env, args []string) error {
	return clikit.Dispatch(ctx, env, "import", importCommands(), args)
}

func Export(ctx context.Context, env *clikit.Env, args []string) error {
	return clikit.Dispatch(ctx, env, "export", exportCommands(), args)
}

// openVillage opens the database at db and resolves --village NAME to
// its ID ("" stays ""); the caller closes the store.
func openVillage(ctx context.Context, env *clikit.Env, db, name string) (*store.Store, string, error) {
	s, err := clikit.OpenDB(ctx, env, db)
	if err != nil {
		return nil, "", err
	}
	vid, err := villageID(ctx, s, name)
	if err != nil {
		s.Close()
		return nil, "", err
	}
	return s, vid, nil
}

// villageID resolves --village NAME ("" stays "").
func villageID(ctx context.Context, s *store.Store, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	v, err := s.VillageByName(ctx, name)
	if err != nil {
		return "", fmt.Errorf("--village: %w", err)
	}
	return v.ID, nil
}

func cmdImportHouseholds(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "import households")
	dry := fs.Bool("dry-run", false, "report what the import would do; save nothing")
	village := fs.String("village", "", "village of rows that name none (default: the post's only village)")
	sheetName := fs.String("sheet", "", "workbook sheet to import (default: the one that looks like a ledger)")
	mappingPath := fs.String("mapping", "", "column mapping JSON (as the app stores it); default: suggested from the headers")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := clikit.ParseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: cunjing import households --db PATH FILE [--dry-run] [--json]", clikit.ErrUsage)
	}
	tables, err := ledger.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	t := ledger.Best(tables)
	if *sheetName != "" {
		t = nil
		for _, x := range tables {
			if x.Sheet == *sheetName {
				t = x
			}
		}
		if t == nil {
			return fmt.Errorf("%w: %s has no sheet %q", clikit.ErrUsage, pos[0], *sheetName)
		}
	}
	m := ledger.Suggest(t)
	if *mappingPath != "" {
		data, err := infile.ReadBounded(*mappingPath, 1<<20)
		if err != nil {
			return fmt.Errorf("--mapping: %w", err)
		}
		if m, err = ledger.UnmarshalMapping(data); err != nil {
			return fmt.Errorf("--mapping %s: %w", *mappingPath, err)
		}
		if !m.Fits(t) {
			return fmt.Errorf("--mapping %s was made for another header row", *mappingPath)
		}
	}
	s, err := clikit.OpenPostDB(ctx, env, *db, "import households", "住户台账在警务室导入，再同步到派出所")
	if err != nil {
		return err
	}
	defer s.Close()
	vid, err := villageID(ctx, s, *village)
	if err != nil {
		return err
	}
	p, err := ledger.Preview(ctx, s, t, m, ledger.Options{VillageID: vid})
	if errors.Is(err, ledger.ErrNoVillage) {
		return fmt.Errorf("%w: %v (--village NAME)", clikit.ErrUsage, err)
	}
	if err != nil {
		return err
	}
	rep := p.Report
	if !*dry {
		if rep, err = ledger.Commit(ctx, s, p); err != nil {
			return err
		}
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, rep)
	}
	verb := "imported"
	if *dry {
		verb = "would import (dry run, nothing saved)"
	}
	fmt.Fprintf(env.Stdout, "%s: %s %d rows: %d added, %d updated, %d unchanged, %d merged, %d skipped; households %d added, %d updated; visits %d added\n",
		pos[0], verb, rep.Rows, rep.Added, rep.Updated, rep.Unchanged, len(rep.Merged), len(rep.Skipped), rep.HouseholdsAdded, rep.HouseholdsUpdated, rep.VisitsAdded)
	for _, sk := range rep.Skipped {
		fmt.Fprintf(env.Stdout, "  row %d skipped: %s\n", sk.Row, sk.Reason)
	}
	for _, mg := range rep.Merged {
		fmt.Fprintf(env.Stdout, "  row %d merged into row %d (same ID number)\n", mg.Row, mg.Into)
	}
	const most = 30
	for i, w := range rep.Warnings {
		if i == most {
			fmt.Fprintf(env.Stdout, "  … and %d more warnings (--json lists them all)\n", len(rep.Warnings)-most)
			break
		}
		fmt.Fprintf(env.Stdout, "  row %d: %s\n", w.Row, w.Message)
	}
	if rep.MaskedIDs > 0 {
		fmt.Fprintf(env.Stdout, "  %d rows had masked ID numbers: those people were matched by name and keep the ID number on record\n", rep.MaskedIDs)
	}
	return nil
}

func cmdExportHouseholds(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "export households")
	out := fs.String("out", "", "workbook to write (.xlsx)")
	village := fs.String("village", "", "only this village (default: all)")
	showIDs := fs.Bool("show-ids", false, "write ID numbers in full (recorded in the audit log); default: masked")
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || !strings.HasSuffix(strings.ToLower(*out), ".xlsx") {
		return fmt.Errorf("%w: --out FILE.xlsx is required", clikit.ErrUsage)
	}
	s, vid, err := openVillage(ctx, env, *db, *village)
	if err != nil {
		return err
	}
	defer s.Close()
	var sum ledger.ExportSummary
	err = clikit.WriteOutput(*out, func(w io.Writer) error {
		var err error
		sum, err = ledger.Export(ctx, s, w, ledger.ExportOptions{VillageID: vid, ShowIDs: *showIDs})
		return err
	}, func() error {
		detail := fmt.Sprintf("%d households, %d residents, ID numbers masked", sum.Households, sum.Residents)
		if *showIDs {
			detail = fmt.Sprintf("%d households, %d residents, ID numbers in full", sum.Households, sum.Residents)
		}
		return s.Audit(ctx, clikit.User(), "cli", store.AuditExport, "households "+strings.TrimSpace(*village), detail+" → "+*out)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %d households, %d residents\n", *out, sum.Households, sum.Residents)
	return nil
}

// PrintSheet is `cunjing print sheet`: the per-house resident sheet.
func PrintSheet(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db, village := clikit.NewVillageFlags(env, "print sheet")
	house := fs.String("house", "", "house (door) number; default: every household of the village")
	out := clikit.PDFOutFlag(fs)
	showIDs := fs.Bool("show-ids", false, "print ID numbers in full (recorded in the audit log); default: masked")
	fontPath := clikit.FontFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || *village == "" {
		return fmt.Errorf("%w: cunjing print sheet --db PATH --village NAME [--house NUMBER] --out FILE.pdf", clikit.ErrUsage)
	}
	s, vid, err := openVillage(ctx, env, *db, *village)
	if err != nil {
		return err
	}
	defer s.Close()
	files, err := ledger.HouseFiles(ctx, s, vid, *house)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("village %s has no households to print", *village)
	}
	var self store.Post
	if err := s.Get(ctx, &self, s.DeviceID()); err != nil {
		return fmt.Errorf("read own profile: %w", err)
	}
	sheets := make([]sheet.Sheet, len(files))
	for i := range files {
		sheets[i] = SheetFromHouseFile(&files[i], *showIDs)
	}
	return clikit.WriteOutput(*out, func(w io.Writer) error {
		font, err := fonts.Find(*fontPath)
		if err != nil {
			return err
		}
		return sheet.WritePDF(ctx, w, font, sheets, sheet.Options{Post: self.Name, Printed: env.Now()})
	}, func() error {
		subject := "sheet " + *village + " " + *house
		detail := fmt.Sprintf("%d households, ID numbers masked → %s", len(sheets), *out)
		if *showIDs {
			detail = fmt.Sprintf("%d households, ID numbers in full → %s", len(sheets), *out)
		}
		if err := s.Audit(ctx, clikit.User(), "cli", store.AuditPrint, strings.TrimSpace(subject), detail); err != nil {
			return err
		}
		rec := &store.PrintRecord{Kind: "sheet", Template: strings.TrimSpace(*village + " " + *house), Size: "A4",
			Copies: int64(len(sheets)), PrintedAt: env.Now().Format("2006-01-02 15:04:05"), By: clikit.User()}
		if err := s.Save(ctx, rec); err != nil {
			return fmt.Errorf("record the print: %w", err)
		}
		fmt.Fprintf(env.Stdout, "%s: %d households\n", *out, len(sheets))
		return nil
	})
}

// SheetFromHouseFile turns one household's records into its printed
// sheet; ID numbers are masked unless showIDs.
func SheetFromHouseFile(f *ledger.HouseFile, showIDs bool) sheet.Sheet {
	h := &f.Household
	sh := sheet.Sheet{
		Village: f.Village.Name, Number: f.HouseNumber, Address: h.Address, Owner: h.OwnerName, OwnerPhone: h.OwnerPhone,
		HouseType: h.HouseType, HouseUse: h.HouseUse, Structure: h.Structure, AreaM2: h.AreaM2, Status: h.Status,
		Tenant: h.TenantName, TenantPhone: h.TenantPhone, GridCell: h.GridCell, Categories: h.Categories, Warning: h.Warning, Notes: h.Notes,
	}
	for _, r := range f.Residents {
		id := r.IDNumber
		if !showIDs && id != "" {
			id = store.MaskIDNumber(id)
		}
		sh.Members = append(sh.Members, sheet.Member{Name: r.Name, Relation: r.Relation, Gender: r.Gender, BirthDate: r.BirthDate,
			IDNumber: id, Phone: r.Phone, CensusStatus: r.CensusStatus, Occupation: r.Occupation, Categories: r.Categories, Notes: r.Notes})
	}
	for _, v := range f.Visits {
		sh.Visits = append(sh.Visits, sheet.Visit{Date: v.Date, Officer: v.Officer, Notes: v.Notes})
	}
	return sh
}
