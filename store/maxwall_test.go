package store

import (
	"context"
	"testing"
)

// A broken post (its PC clock past the year 2286, the last an HLC can
// carry) sends its household's warning stamped at the very last
// timestamp. The station then corrects it: its change, stamped "just
// after" the value it replaces, was 14 digits of wall time, which sorts
// below the value it replaces and which no device parses, so the
// station's changeset to the post was refused for ever and the post's
// chain from the station stopped there. The correction must carry a
// timestamp every device reads.
func TestEditOnTopOfTheLastTimestamp(t *testing.T) {
	// A post whose ID sorts before the station's: the station's last
	// timestamp sorts after the post's, and the correction is taken. One
	// whose ID sorts after: no timestamp of the station's is newer, and
	// the edit is refused with a clear error, nothing logged.
	for _, post := range []string{"AAAAAAA-POST001", "ZZZZZZZ-POST001"} {
		t.Run(post[:1], func(t *testing.T) {
			ctx := context.Background()
			st := newTestStore(t, RoleStation, nil)
			last := HLC{Wall: maxWall, Counter: 999_999, Device: post}
			if _, err := st.Apply(ctx, []Change{
				{Table: "villages", Record: "v1", Field: "owner", Value: `"` + post + `"`, HLC: last.String()},
				{Table: "villages", Record: "v1", Field: "name", Value: `"张庄"`, HLC: last.String()},
			}); err != nil {
				t.Fatal(err)
			}
			var v Village
			if err := st.Get(ctx, &v, "v1"); err != nil {
				t.Fatal(err)
			}
			v.Name = "张家庄"
			saveErr := st.Save(ctx, &v)
			if (saveErr == nil) != (st.DeviceID() > post) {
				t.Fatalf("save: %v", saveErr)
			}
			mine, _, err := st.ChangesSince(ctx, st.DeviceID(), 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			corrected := false
			for _, c := range mine {
				if err := ValidateChange(c); err != nil {
					t.Errorf("a receiver refuses the station's change %s.%s %q: %v", c.Table, c.Field, c.HLC, err)
				}
				if c.Record == "v1" {
					corrected = true
					if h, _ := ParseHLC(c.HLC); h.Compare(last) <= 0 {
						t.Errorf("the correction %q does not sort after %q", c.HLC, last)
					}
				}
			}
			if corrected != (saveErr == nil) {
				t.Errorf("correction logged %v, save error %v", corrected, saveErr)
			}
			var got Village
			if err := st.Get(ctx, &got, "v1"); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]string{true: "张家庄", false: "张庄"}[saveErr == nil]; got.Name != want {
				t.Errorf("name %q, want %q", got.Name, want)
			}
		})
	}
}
