package searchindex_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/search"
)

// BenchmarkTownshipSearch1M: the station's township search (every
// village, 50 hits) over 1,000,000 residents in 333,334 households of 100
// villages, through the index, against the scan that applies the same
// rules to every row on the spot (scan, the oracle of
// TestIndexAgreesWithScan) in the same run. The database is built only
// when this benchmark runs (go test -bench), never by go test alone:
//
//	go test -tags sqlite_fts5 -run '^$' -bench TownshipSearch1M -benchtime 5x -timeout 30m ./store/search/
//
// SEARCH_BENCH_RESIDENTS=N makes it smaller for a quick look.
func BenchmarkTownshipSearch1M(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SEARCH_BENCH_RESIDENTS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	s, qs := buildTownship(b, n)
	db, err := sql.Open("sqlite3", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, q := range qs {
		b.Run("indexed/"+q.name, func(b *testing.B) {
			for b.Loop() {
				hits, err := s.Search(ctx, store.SearchQuery{Text: q.q, Limit: 50})
				if err != nil || len(hits) == 0 {
					b.Fatal(q.q, err, len(hits))
				}
			}
		})
	}
	for _, q := range qs {
		if q.name != "name" && q.name != "id_exact" {
			continue // the scan reads and spells every row whatever is asked
		}
		b.Run("scan/"+q.name, func(b *testing.B) {
			plan, err := search.Parse(q.q)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if got := scan(b, db, plan, ""); len(got) == 0 {
					b.Fatal(q.q, "nothing found")
				}
			}
		})
	}
}

type benchQuery struct{ name, q string }

// dropSearchIndex takes the search index out of a database, as an older
// cunjing left it.
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
	drops = append(drops, "DELETE FROM meta WHERE key = 'search_index'")
	for _, q := range drops {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	return nil
}

// buildTownship writes n residents straight into the typed tables of a
// database without the search index (as an older cunjing left it) and
// opens the file, which builds the index: that time is logged.
func buildTownship(b *testing.B, n int) (*store.Store, []benchQuery) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "township.db")
	s, err := store.Create(ctx, path, store.Identity{DeviceID: "BENCH-STATION", Role: store.RoleStation, Name: "镇派出所"}, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=OFF&_cache_size=-262144")
	if err != nil {
		b.Fatal(err)
	}
	// A database from before the search index: no index tables, no
	// triggers; opening it below builds the index from every row.
	if err := dropSearchIndex(db); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	start := b.Elapsed() // the benchmark's own timer: tests never read the wall clock
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	insV, _ := tx.Prepare("INSERT INTO villages (id, owner, name) VALUES (?, 'POST', ?)")
	insH, _ := tx.Prepare("INSERT INTO houses (id, owner, village_id, number, history, kind) VALUES (?, 'POST', ?, ?, ?, 'house')")
	insHH, _ := tx.Prepare("INSERT INTO households (id, owner, village_id, house_id, owner_name, owner_phone) VALUES (?, 'POST', ?, ?, ?, ?)")
	insR, err := tx.Prepare("INSERT INTO residents (id, owner, household_id, name, phone, id_number) VALUES (?, 'POST', ?, ?, ?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	const villages = 100
	var qs []benchQuery
	var name, phone, id string
	perVillage := (n/3 + villages - 1) / villages
	for v := range villages {
		if _, err := insV.Exec(fmt.Sprintf("v%03d", v), fmt.Sprintf("村%03d", v)); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		hh := i / 3
		if i%3 == 0 {
			v := hh / perVillage
			vid := fmt.Sprintf("v%03d", v)
			history := "[]"
			if hh%10 == 0 {
				history = fmt.Sprintf(`["%d"]`, 5000+hh%perVillage)
			}
			if _, err := insH.Exec(fmt.Sprintf("h%07d", hh), vid, strconv.Itoa(1+hh%perVillage), history); err != nil {
				b.Fatal(err)
			}
			name, phone, id = randName(rng), fmt.Sprintf("13%09d", i), randID(rng)
			if _, err := insHH.Exec(fmt.Sprintf("f%07d", hh), vid, fmt.Sprintf("h%07d", hh), name, phone); err != nil {
				b.Fatal(err)
			}
		} else {
			name, phone, id = randName(rng), fmt.Sprintf("15%09d", i), randID(rng)
		}
		if _, err := insR.Exec(fmt.Sprintf("r%07d", i), fmt.Sprintf("f%07d", hh), name, phone, id); err != nil {
			b.Fatal(err)
		}
		if i == n/2 {
			full, ini := search.NameReadings(name)
			qs = append(qs, benchQuery{"name", name}, benchQuery{"given_name", search.GivenName(name)},
				benchQuery{"initials", ini[0]}, benchQuery{"pinyin", full[0]},
				benchQuery{"phone", phone}, benchQuery{"phone_tail4", phone[len(phone)-4:]},
				benchQuery{"id_exact", id}, benchQuery{"id_tail6", id[12:]})
		}
	}
	qs = append([]benchQuery{{"number", "57"}, {"old_number", "5010"}}, qs...)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	db.Close()
	b.Logf("%d residents written in %v", n, (b.Elapsed() - start).Round(time.Millisecond))
	start = b.Elapsed()
	s, err = store.Open(ctx, path, store.Options{SkipIntegrityCheck: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	b.Logf("indexed on open in %v", (b.Elapsed() - start).Round(time.Millisecond))
	return s, qs
}
