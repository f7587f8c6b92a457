package housenum

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"cunjing/maps/trace/digits"
)

// House is a traced house as its number is settled: where it is and how
// large, and its number as read.
type House struct {
	At     [2]float64 // centre, in the sheet's pixels
	AreaPx int        // enclosed paper, in pixels
	// Number is the number read ("" when unread) with its Confidence,
	// 0..1; Doubtful when it breaks its neighbours' sequence.
	Number     string
	Confidence float64
	Doubtful   bool
	// Reading is the recogniser's reading with its alternatives (nil when
	// none), to choose among by the neighbours' sequence.
	Reading *digits.Reading
}

// numberBase is a number's whole part: 203 for 203 and 203-1.
func numberBase(s string) (int, bool) {
	b, _, _ := strings.Cut(s, "-")
	n, err := strconv.Atoi(b)
	return n, err == nil
}

// CheckSequence flags a read number as doubtful when it is far from every
// number read on the houses nearest it. maps numbers houses in walking
// order along each lane, both sides alike, so a house's neighbours in its
// row carry numbers within a few of its own; a misread digit (a 3 for an
// 8 in the tens) lands tens or hundreds away. Two numbers read alike are
// both doubtful. Houses with no read neighbour close by are left as read.
func CheckSequence(hs []House) {
	const (
		neighbours = 4
		maxStep    = 6
	)
	if len(hs) < 3 {
		return
	}
	reach := reachOf(hs)
	count := counts(hs)
	type near struct {
		d    float64
		base int
	}
	var ns []near
	for i := range hs {
		n, ok := numberBase(hs[i].Number)
		if !ok {
			continue
		}
		if count[hs[i].Number] > 1 {
			hs[i].Doubtful = true
			continue
		}
		ns = ns[:0]
		for j, o := range hs {
			b, ok := numberBase(o.Number)
			if j == i || !ok {
				continue
			}
			if d := math.Hypot(o.At[0]-hs[i].At[0], o.At[1]-hs[i].At[1]); d <= reach {
				ns = append(ns, near{d, b})
			}
		}
		if len(ns) == 0 {
			continue
		}
		slices.SortFunc(ns, func(a, b near) int { return cmp.Compare(a.d, b.d) })
		best := math.MaxInt
		for _, x := range ns[:min(len(ns), neighbours)] {
			best = min(best, abs(x.base-n))
		}
		hs[i].Doubtful = best > maxStep
	}
}

// reachOf is how far a house's neighbours lie at most: three times the
// side of the median house (hs not empty).
func reachOf(hs []House) float64 {
	areas := make([]int, len(hs))
	for i, h := range hs {
		areas[i] = h.AreaPx
	}
	slices.Sort(areas)
	return 3 * math.Sqrt(float64(areas[len(areas)/2]))
}

// counts is how many houses have each number read.
func counts(hs []House) map[string]int {
	n := map[string]int{}
	for _, h := range hs {
		if h.Number != "" {
			n[h.Number]++
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Sequence choice (set on the tuning sheets 201–205 in the held-out hand):
// how far below the best reading's score (in nats) an alternative may be
// chosen, what each unit of distance from the nearest fitting neighbour's
// number costs in nats, how many nearest read houses are the neighbours,
// how far from one of them a number still fits, the passes, and what
// keeping a number another house also has costs, and what choosing an
// inserted house's number (203-1) over a plain reading costs.
const (
	altMargin     = 4.0
	seqWeight     = 1.0
	seqNeighbours = 4
	seqMaxStep    = 6
	seqPasses     = 2
	seqDuplicate  = 4.0
	seqDash       = 2.0
)

// ChooseBySequence reads each house's number again from the recogniser's
// reading and its alternatives, knowing its neighbours': of the readings
// scored within altMargin of the best, that no other house has and that
// lie within seqMaxStep of a neighbour whose own number fits its
// neighbours, the one least unlikely — its score below the best plus
// seqWeight for each unit it lies from that neighbour's number — is
// taken (a house keeping the number another house has pays seqDuplicate:
// a village numbers each house once). A digit read as its second likeliest (a flat-topped 3 read as a
// 5 in the tens) or touching digits counted wrong then give way to the
// reading the lane's numbering supports; a house left unread may be read
// this way; a number with nothing read near it is left as read. Two
// passes, so a house set right can support its neighbour. CheckSequence
// still flags what breaks the sequence after this.
func ChooseBySequence(hs []House) {
	if len(hs) < 3 {
		return
	}
	reach := reachOf(hs)
	// each house's nearest houses within reach, nearest first
	type near struct {
		d float64
		j int
	}
	nbrs := make([][]int, len(hs))
	var ns []near
	for i := range hs {
		ns = ns[:0]
		for j := range hs {
			if j == i {
				continue
			}
			if d := math.Hypot(hs[j].At[0]-hs[i].At[0], hs[j].At[1]-hs[i].At[1]); d <= reach {
				ns = append(ns, near{d, j})
			}
		}
		slices.SortFunc(ns, func(a, b near) int { return cmp.Compare(a.d, b.d) })
		for _, x := range ns {
			nbrs[i] = append(nbrs[i], x.j)
		}
	}
	// step is how far base lies from the nearest read neighbours of i
	// (those of them in ok only, when ok is not nil); -1 when none is read
	step := func(i, base int, ok []bool) int {
		best, seen := -1, 0
		for _, j := range nbrs[i] {
			b, read := numberBase(hs[j].Number)
			if !read {
				continue
			}
			seen++
			if ok == nil || ok[j] {
				if d := abs(b - base); best < 0 || d < best {
					best = d
				}
			}
			if seen == seqNeighbours {
				break
			}
		}
		return best
	}
	for range seqPasses {
		used := counts(hs)
		fits := make([]bool, len(hs))
		for i := range hs {
			if b, ok := numberBase(hs[i].Number); ok && used[hs[i].Number] == 1 {
				d := step(i, b, nil)
				fits[i] = d >= 0 && d <= seqMaxStep
			}
		}
		for i := range hs {
			rd := hs[i].Reading
			if rd == nil {
				continue
			}
			// each reading's cost: how much less likely than the best,
			// and how far from its fitting neighbours' numbers
			cost := func(a digits.Reading) (float64, bool) {
				b, ok := numberBase(a.Text)
				if !ok || !digits.WellFormed(a.Text) || (a.Text != hs[i].Number && used[a.Text] > 0) {
					return 0, false
				}
				d := step(i, b, fits)
				if d < 0 || d > seqMaxStep {
					return 0, false
				}
				c := rd.Score - a.Score + seqWeight*float64(d)
				if a.Text == hs[i].Number && used[a.Text] > 1 {
					c += seqDuplicate // another house has it too: one is wrong
				}
				if strings.Contains(a.Text, "-") && !strings.Contains(rd.Text, "-") {
					c += seqDash // an inserted house's number lies close by its base's
				}
				return c, true
			}
			cur, curOK := math.Inf(1), false
			if hs[i].Number != "" {
				for _, a := range append([]digits.Reading{*rd}, rd.Alternatives...) {
					if a.Text == hs[i].Number {
						cur, curOK = cost(a)
						if !curOK {
							cur = math.Inf(1)
						}
						break
					}
				}
				if !curOK {
					if b, ok := numberBase(hs[i].Number); ok && step(i, b, nil) < 0 {
						continue // nothing read near it to judge by
					}
				}
			}
			var pick *digits.Reading
			for k, a := range append([]digits.Reading{*rd}, rd.Alternatives...) {
				if a.Score < rd.Score-altMargin {
					break
				}
				if c, ok := cost(a); ok && c < cur {
					cur, pick = c, &append([]digits.Reading{*rd}, rd.Alternatives...)[k]
				}
			}
			if pick != nil && pick.Text != hs[i].Number {
				if hs[i].Number != "" {
					used[hs[i].Number]--
				}
				used[pick.Text]++
				hs[i].Number = pick.Text
				hs[i].Confidence = math.Round(pick.Confidence*100) / 100
			}
			if pick != nil || curOK {
				fits[i] = true
			}
		}
	}
}
