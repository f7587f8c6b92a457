package boardset

import (
	"slices"
	"testing"

	"cunjing/store"
)

func TestNearestPublisher(t *testing.T) {
	profiles := []store.Post{
		{Meta: store.Meta{ID: "C"}, Role: store.RoleCounty},
		{Meta: store.Meta{ID: "S"}, Role: store.RoleStation},
		{Meta: store.Meta{ID: "P"}, Role: store.RolePost},
	}
	item := func(id, owner string) store.CostItem { return store.CostItem{Meta: store.Meta{ID: id, Owner: owner}} }
	for _, c := range []struct {
		name  string
		items []store.CostItem
		want  []string
	}{
		{"county only", []store.CostItem{item("c1", "C"), item("c2", "C")}, []string{"c1", "c2"}},
		{"the station's replace the county's", []store.CostItem{item("c1", "C"), item("s1", "S"), item("c2", "C")}, []string{"s1"}},
		{"station only", []store.CostItem{item("s1", "S")}, []string{"s1"}},
		{"an unknown owner counts as near", []store.CostItem{item("c1", "C"), item("x1", "X")}, []string{"x1"}},
		{"none", nil, nil},
	} {
		var got []string
		for _, it := range Nearest(c.items, profiles) {
			got = append(got, it.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
