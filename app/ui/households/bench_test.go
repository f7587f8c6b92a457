package households

import (
	"context"
	"testing"

	"cunjing/app/ui/uitest"
	"cunjing/store"
)

// The household list shows its first page before reading the rest, so the
// screen answers as soon as that page is read. These measure that wait
// against loading every household before showing any (the naive list).
const benchHouseholds = 1200

func BenchmarkHouseholdListFirstPage(b *testing.B) {
	s := uitest.Fixture(b, benchHouseholds)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		rows, err := s.Households(ctx, store.HouseholdFilter{Limit: firstPage})
		if err != nil || len(rows) != firstPage {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}

func BenchmarkHouseholdListAllAtOnce(b *testing.B) {
	s := uitest.Fixture(b, benchHouseholds)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		rows, err := s.Households(ctx, store.HouseholdFilter{})
		if err != nil || len(rows) != benchHouseholds+3 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}

// A search typed into the box: the first page of matches for a surname
// shared by every filler household.
func BenchmarkHouseholdSearchFirstPage(b *testing.B) {
	s := uitest.Fixture(b, benchHouseholds)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		rows, err := s.Households(ctx, store.HouseholdFilter{Query: "赵", Limit: firstPage})
		if err != nil || len(rows) != firstPage {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}

func BenchmarkHouseholdSearchAllAtOnce(b *testing.B) {
	s := uitest.Fixture(b, benchHouseholds)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		rows, err := s.Households(ctx, store.HouseholdFilter{Query: "赵"})
		if err != nil || len(rows) < benchHouseholds {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}
