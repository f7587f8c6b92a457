package pieces

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// What a cut transfer noted comes back on Load; a dropped block's pieces
// and a torn or foreign line do not.
func TestList(t *testing.T) {
	tests := []struct {
		name   string
		add    []int64
		drop   [][2]int64 // off, size
		extra  string     // appended to the file, as a torn write or a stray line
		remove bool
		want   []int64
	}{
		{name: "nothing", want: nil},
		{name: "kept", add: []int64{0, 8192, 16384}, want: []int64{0, 8192, 16384}},
		{name: "block dropped", add: []int64{0, 8192, 131072, 139264}, drop: [][2]int64{{131072, 131072}}, want: []int64{0, 8192}},
		{name: "torn last line", add: []int64{0, 8192}, extra: "163", want: []int64{0, 163, 8192}},
		{name: "junk and negatives", add: []int64{8192}, extra: "x\n-5\n\n", want: []int64{8192}},
		{name: "removed", add: []int64{0}, remove: true, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.tmp.have")
			l := New(path)
			l.Load()
			for _, o := range tt.add {
				l.Add(o)
			}
			for _, d := range tt.drop {
				l.Drop(d[0], int(d[1]))
			}
			if tt.extra != "" {
				f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.WriteString(tt.extra); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}
			if tt.remove {
				l.Remove()
			}
			again := New(path)
			again.Load()
			var got []int64
			for o := range again.set {
				got = append(got, o)
				if !again.Has(o) {
					t.Errorf("Has(%d) false for a listed piece", o)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("after a reload: %v, want %v", got, tt.want)
			}
		})
	}
}
