package record

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

// TestValidateRefusesNonFinite sets each float field of every synced
// record, one at a time, to NaN, +Inf and -Inf: Validate must name that
// field (a record that came from a ledger, a peer or a future screen must
// not store NaN, which SQLite refuses as NULL, or Inf, printed +Inf元).
// Walking the structs makes a float field added later covered too.
func TestValidateRefusesNonFinite(t *testing.T) {
	bad := []struct {
		name string
		v    float64
	}{{"NaN", math.NaN()}, {"+Inf", math.Inf(1)}, {"-Inf", math.Inf(-1)}}
	fields := 0
	for _, table := range SyncedTables {
		typ := reflect.TypeOf(New(table)).Elem()
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			col := f.Tag.Get("db")
			if f.Type.Kind() != reflect.Float64 || col == "" {
				continue
			}
			fields++
			for _, b := range bad {
				t.Run(table+"."+col+"="+b.name, func(t *testing.T) {
					rec := New(table)
					reflect.ValueOf(rec).Elem().Field(i).SetFloat(b.v)
					var fe *FieldError
					err := rec.Validate()
					if !errors.As(err, &fe) || fe.Table != table || fe.Field != col || fe.Msg != MsgNotFinite {
						t.Fatalf("Validate() = %v, want %s.%s: %s", err, table, col, MsgNotFinite)
					}
				})
			}
		}
	}
	// village_maps 4, village_georefs 2, features 1, households 1,
	// venues 2, cost_items 2: the walk found them all.
	if fields < 12 {
		t.Fatalf("walked %d float fields, want at least 12", fields)
	}
}

// TestFiniteValuesStillValid: the check refuses only NaN and Inf, not
// the large or tiny values real maps and amounts use.
func TestFiniteValuesStillValid(t *testing.T) {
	recs := []Record{
		&Household{VillageID: "v", OwnerName: "赵六", AreaM2: 1e6},
		&CostItem{Tier: "criminal", Grp: "economic", Text: "赔偿", AmountMin: 0, AmountMax: math.MaxFloat64},
		&VillageMap{VillageID: "v", MetresPerPx: math.SmallestNonzeroFloat64, OffsetX: -1e9, Opacity: 1},
		&Venue{Name: "小卖部", X: -123.5, Y: 1e7},
		&Feature{VillageID: "v", Kind: "road", WidthM: 12.5},
	}
	for _, r := range recs {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", r.Table(), err)
		}
	}
}
