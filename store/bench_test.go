package store

import (
	"context"
	"cunjing/store/internal/table"
	"database/sql"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Benchmarks for the change log's overhead: each workload beside the same
// workload written straight into the typed tables, without the change log.
// Run: go test -tags sqlite_fts5 -run '^$' -bench . -benchtime 1x -count 3 ./store/

const benchResidents = 100_000

var (
	benchSurnames = []rune("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
	benchGiven    = []rune("建国军强明华英兰秀桂玉芳伟磊勇涛丽静敏燕艳娟春梅秋菊海霞红金山德福永生振新民")
)

func benchName(rng *rand.Rand) string {
	n := 1 + rng.Intn(2)
	var b strings.Builder
	b.WriteRune(benchSurnames[rng.Intn(len(benchSurnames))])
	for i := 0; i < n; i++ {
		b.WriteRune(benchGiven[rng.Intn(len(benchGiven))])
	}
	return b.String()
}

func benchResidentsList(n int) []*Resident {
	rng := rand.New(rand.NewSource(1))
	out := make([]*Resident, n)
	for i := range out {
		out[i] = &Resident{HouseholdID: fmt.Sprintf("hh-%05d", i/3), Name: benchName(rng),
			Phone: fmt.Sprintf("138%08d", i), Relation: "户主", Occupation: "务农", HukouAddress: "河南省滑县城关镇张庄村"}
	}
	return out
}

func benchStore(b *testing.B) *Store {
	b.Helper()
	dir := b.TempDir() // a real disk: fsync cost is part of what users pay
	s, err := Create(context.Background(), filepath.Join(dir, "bench.db"), Identity{DeviceID: "BENCH-DEVICE", Role: RolePost, Name: "bench"}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func saveAll(b *testing.B, s *Store, recs []*Resident) {
	ctx := context.Background()
	for i := 0; i < len(recs); i += 1000 {
		end := min(i+1000, len(recs))
		err := s.Update(ctx, func(tx *Tx) error {
			for _, r := range recs[i:end] {
				if err := tx.Save(r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// insertRaw writes the same rows with plain INSERTs: no change log.
func insertRaw(b *testing.B, s *Store, recs []*Resident) {
	ti := table.Tables["residents"]
	cols := []string{}
	for _, c := range ti.Cols {
		cols = append(cols, `"`+c.Name+`"`)
	}
	q := "INSERT INTO residents (" + strings.Join(cols, ", ") + ") VALUES (" + table.Placeholders(len(cols)) + ")"
	for i := 0; i < len(recs); i += 1000 {
		end := min(i+1000, len(recs))
		tx, err := s.db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range recs[i:end] {
			if err := r.Validate(); err != nil {
				b.Fatal(err)
			}
			if r.ID == "" {
				r.ID = NewID()
				r.Owner = s.device
			}
			rv := reflect.ValueOf(r).Elem()
			args := make([]any, len(ti.Cols))
			for k := range ti.Cols {
				args[k] = table.SQLValue(&ti.Cols[k], rv.FieldByIndex(ti.Cols[k].Index))
			}
			if _, err := st.Exec(args...); err != nil {
				b.Fatal(err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInsert100kResidents(b *testing.B) {
	b.Run("with_changelog", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s := benchStore(b)
			recs := benchResidentsList(benchResidents)
			b.StartTimer()
			saveAll(b, s, recs)
		}
	})
	b.Run("baseline_no_changelog", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s := benchStore(b)
			recs := benchResidentsList(benchResidents)
			b.StartTimer()
			insertRaw(b, s, recs)
		}
	})
}

func BenchmarkNameSearch100k(b *testing.B) {
	ctx := context.Background()
	recs := benchResidentsList(benchResidents)
	logged := benchStore(b)
	saveAll(b, logged, recs)
	raw := benchStore(b)
	insertRaw(b, raw, benchResidentsList(benchResidents))
	var three, two string
	for _, r := range recs[500:] {
		switch len([]rune(r.Name)) {
		case 3:
			if three == "" {
				three = r.Name
			}
		case 2:
			if two == "" {
				two = r.Name
			}
		}
	}
	for _, db := range []struct {
		name string
		s    *Store
	}{{"with_changelog", logged}, {"baseline_no_changelog", raw}} {
		for _, q := range []struct{ name, q string }{{"3char_fts", three}, {"2char_like", two}} {
			b.Run(db.name+"/"+q.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					rs, err := db.s.SearchResidents(ctx, q.q, 50)
					if err != nil || len(rs) == 0 {
						b.Fatal(err, len(rs))
					}
				}
			})
		}
	}
	// The naive search a ledger tool does: an unindexed LIKE over every row.
	b.Run("baseline_unindexed_like/3char", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			rows, err := logged.db.Query("SELECT id FROM residents NOT INDEXED WHERE deleted = 0 AND (name LIKE ? OR phone LIKE ?) ORDER BY name, id LIMIT 50",
				"%"+three+"%", "%"+three+"%")
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
			}
			rows.Close()
		}
	})
}

func BenchmarkApply100kChanges(b *testing.B) {
	src := benchStore(b)
	recs := benchResidentsList(benchResidents / 8) // 12.5k residents ≈ 100k field changes
	saveAll(b, src, recs)
	changes, _, err := src.ChangesAfter(context.Background(), 0, 1<<30)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d changes", len(changes))
	b.Run("apply_with_changelog", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dst := benchStore(b)
			b.StartTimer()
			if _, err := dst.Apply(context.Background(), changes); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(changes)), "changes/op")
	})
	b.Run("apply_without_search_index", func(b *testing.B) {
		// What keeping the search index current costs an import: the same
		// Apply with the index's triggers gone (nothing queued, nothing
		// indexed).
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dst := benchStore(b)
			if err := dropSearchIndex(dst.db); err != nil {
				b.Fatal(err)
			}
			if _, err := dst.db.Exec("CREATE TABLE search_dirty (tbl TEXT, rec TEXT)"); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := dst.Apply(context.Background(), changes); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline_no_changelog", func(b *testing.B) {
		// The same merge without the change log: winners per field picked
		// in memory, one row insert per record, nothing logged.
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dst := benchStore(b)
			b.StartTimer()
			type key struct{ t, r string }
			rows := map[key]map[string]Change{}
			var order []key
			for _, c := range changes {
				k := key{c.Table, c.Record}
				if rows[k] == nil {
					rows[k] = map[string]Change{}
					order = append(order, k)
				}
				if w, ok := rows[k][c.Field]; !ok || c.HLC > w.HLC {
					rows[k][c.Field] = c
				}
			}
			tx, err := dst.db.Begin()
			if err != nil {
				b.Fatal(err)
			}
			for _, k := range order {
				ti := table.Tables[k.t]
				names := []string{`"id"`}
				args := []any{k.r}
				for f, c := range rows[k] {
					v, err := table.Decode(ti.ByName[f], c.Value)
					if err != nil {
						b.Fatal(err)
					}
					names = append(names, `"`+f+`"`)
					args = append(args, v)
				}
				if _, err := tx.Exec("INSERT OR REPLACE INTO "+ti.Name+" ("+strings.Join(names, ", ")+") VALUES ("+table.Placeholders(len(names))+")", args...); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// dropSearchIndex takes the search index's tables and triggers out of a
// database (package searchindex made them on open).
func dropSearchIndex(db *sql.DB) error {
	rows, err := db.Query("SELECT type, name FROM sqlite_master WHERE name LIKE 'search\\_%' ESCAPE '\\' AND type IN ('table', 'trigger')")
	if err != nil {
		return err
	}
	var drops []string
	for rows.Next() {
		var typ, name string
		if err := rows.Scan(&typ, &name); err != nil {
			rows.Close()
			return err
		}
		drops = append(drops, "DROP "+typ+" IF EXISTS "+name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range drops {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkBlobReferenced: whether a change held here names a blob (the
// quarantine asks for each blob a peer sends addressed to another
// device), at 20,000 residents (about 150,000 changes), by the index
// (migration 0024) against the same query forbidden it (NOT INDEXED, the
// whole change log read, as before the index) in the same run.
func BenchmarkBlobReferenced(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	saveAll(b, s, benchResidentsList(20000))
	hash := `"` + strings.Repeat("ab", 32) + `"`
	for _, c := range []struct{ name, from string }{{"indexed", "changes"}, {"baseline_scan", "changes NOT INDEXED"}} {
		b.Run(c.name, func(b *testing.B) {
			q := "SELECT EXISTS (SELECT 1 FROM " + c.from + " " + blobRefWhere + ")"
			for i := 0; i < b.N; i++ {
				var n int
				if err := s.db.QueryRowContext(ctx, q, hash).Scan(&n); err != nil || n != 0 {
					b.Fatal(n, err)
				}
			}
		})
	}
}
