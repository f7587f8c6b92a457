package ledger

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"

	"cunjing/store"
)

// Benchmarks of importing a 20,000-row ledger into an empty post on a real
// disk (synchronous=FULL, as a village PC runs), beside the baseline of an
// importer that writes every row in its own transaction.
// Run: go test -tags sqlite_fts5 -run '^$' -bench Import20k -benchtime 1x -count 3 ./store/ledger/

const benchRows = 20_000

var (
	benchSurnames = []rune("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
	benchGiven    = []rune("建国军强明华英兰秀桂玉芳伟磊勇涛丽静敏燕艳娟春梅秋菊海霞红金山德福永生振新民")
)

func benchName(rng *rand.Rand) string {
	n := 1 + rng.Intn(2)
	r := []rune{benchSurnames[rng.Intn(len(benchSurnames))]}
	for i := 0; i < n; i++ {
		r = append(r, benchGiven[rng.Intn(len(benchGiven))])
	}
	return string(r)
}

// benchLedger is a 20,000-row one-person-per-row ledger in the common
// layout, with the mess of real ones: mixed date spellings, full-width
// door numbers, phones with spaces, categories, and a few bad rows.
func benchLedger(b *testing.B) []byte {
	rng := rand.New(rand.NewSource(3))
	rows := [][]any{row("序号", "门牌号", "户主姓名", "姓名", "与户主关系", "性别", "身份证号码", "出生日期", "联系电话", "户籍地址", "人员类别", "备注")}
	cats := []string{"", "", "", "", "党员", "留守老人", "留守儿童", "流动人口"}
	rels := []string{"妻子", "子", "女", "孙子", "孙女"}
	line := 0
	for hh := 1; line < benchRows; hh++ {
		head := ""
		for m := 0; m < 1+rng.Intn(5) && line < benchRows; m++ {
			line++
			name := benchName(rng)
			rel := "户主"
			if m == 0 {
				head = name
			} else {
				rel = rels[rng.Intn(len(rels))]
			}
			birth := fmt.Sprintf("19%02d%02d%02d", 30+rng.Intn(70), 1+rng.Intn(12), 1+rng.Intn(28))
			id := fmt.Sprintf("%06d%s%03d", 410000+line/1000, birth, line%1000) // unique
			c, _ := store.IDCheckChar(id)
			id += string(c)
			if line%997 == 0 {
				id = id[:17] + "Y" // a typo: reported, skipped
			}
			var bd any
			switch line % 3 {
			case 0:
				bd = birth[:4] + "." + birth[4:6] + "." + birth[6:]
			case 1:
				bd = birth[:4] + "年" + birth[4:6] + "月" + birth[6:] + "日"
			default:
				bd = birth[:4] + "-" + birth[4:6] + "-" + birth[6:]
			}
			door := fmt.Sprint(hh)
			if hh%7 == 0 {
				door = fullWidth(door) + "号"
			}
			rows = append(rows, row(line, door, head, name, rel, "", id, bd,
				fmt.Sprintf("138 %04d %04d", line/10000, line%10000), "河南省滑县城关镇张庄村", cats[rng.Intn(len(cats))], ""))
		}
	}
	return writeXLSX(b, xlsxSheet{name: "台账", rows: rows})
}

func benchStore(b *testing.B) *store.Store {
	b.Helper()
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(b.TempDir(), "bench.db"), store.Identity{DeviceID: "BENCH-DEVICE", Role: store.RolePost, Name: "bench"}, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.Save(ctx, &store.Village{Name: "张庄村"}); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkImport20k(b *testing.B) {
	ctx := context.Background()
	data := benchLedger(b)
	check := func(b *testing.B, rep Report) {
		if rep.Rows != benchRows || rep.Added+len(rep.Skipped) != benchRows || len(rep.Skipped) != benchRows/997 {
			b.Fatalf("report: rows %d added %d skipped %d", rep.Rows, rep.Added, len(rep.Skipped))
		}
	}
	b.Run("one_transaction", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s := benchStore(b)
			b.StartTimer()
			tables, err := Read("台账.xlsx", data)
			if err != nil {
				b.Fatal(err)
			}
			t := Best(tables)
			p, err := Preview(ctx, s, t, Suggest(t), Options{})
			if err != nil {
				b.Fatal(err)
			}
			rep, err := Commit(ctx, s, p)
			if err != nil {
				b.Fatal(err)
			}
			check(b, rep)
		}
	})
	b.Run("baseline_row_by_row", func(b *testing.B) {
		// The same reading, matching and records, but each household,
		// person and visit saved in a transaction of its own, as an
		// importer that commits row by row does.
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s := benchStore(b)
			b.StartTimer()
			tables, err := Read("台账.xlsx", data)
			if err != nil {
				b.Fatal(err)
			}
			t := Best(tables)
			p, err := Preview(ctx, s, t, Suggest(t), Options{})
			if err != nil {
				b.Fatal(err)
			}
			d, err := Data(ctx, s, p.villageIDs, p.idNumbers)
			if err != nil {
				b.Fatal(err)
			}
			out := plan(p.Entries, &d, p.env)
			for _, hp := range out.households {
				if err := s.Save(ctx, &hp.rec); err != nil {
					b.Fatal(err)
				}
			}
			for _, rp := range out.residents {
				rp.rec.HouseholdID = rp.hh.rec.ID
				if err := s.Save(ctx, &rp.rec); err != nil {
					b.Fatal(err)
				}
			}
			check(b, out.report)
		}
	})
}
