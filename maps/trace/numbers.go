package trace

import (
	"errors"
	"fmt"
	"image"
	"math"

	"cunjing/maps/trace/digits"
	"cunjing/maps/trace/housenum"
)

// MinNumberConfidence is the least confidence at which a number read is
// proposed; below it the house stays unread.
const MinNumberConfidence = 0.3

// readNumbers reads each house's number from the ink inside its outline
// (housenum.Crop), then chooses among the readings and checks them by the
// neighbours' numbers (housenum.ChooseBySequence, CheckSequence). raw is
// the ink before it was grown, lab the paper regions.
func readNumbers(img *image.Gray, raw []byte, lab []int32, regs []region, hs []House, read, keep bool) error {
	var m *digits.Model
	if read {
		var err error
		if m, err = digits.Embedded(); err != nil {
			return fmt.Errorf("trace: %w", err)
		}
	}
	var sc housenum.Scratch
	ns := make([]housenum.House, len(hs))
	for i := range hs {
		ns[i] = housenum.House{At: hs[i].At, AreaPx: hs[i].AreaPx}
		r := regs[hs[i].region]
		crop, err := housenum.Crop(img, raw, lab, image.Rect(r.x0, r.y0, r.x1, r.y1), hs[i].region, &sc)
		if err != nil {
			return fmt.Errorf("trace: house at %.0f,%.0f: %w", hs[i].At[0], hs[i].At[1], err)
		}
		if crop.W == 0 {
			continue
		}
		if keep {
			hs[i].Crop = crop
		}
		if !read {
			continue
		}
		rd, err := m.Read(crop)
		if errors.Is(err, digits.ErrNoNumber) {
			continue
		}
		if err != nil {
			return fmt.Errorf("trace: house at %.0f,%.0f: %w", hs[i].At[0], hs[i].At[1], err)
		}
		ns[i].Reading = &rd
		if !digits.WellFormed(rd.Text) || rd.Confidence < MinNumberConfidence {
			continue
		}
		ns[i].Number = rd.Text
		ns[i].Confidence = math.Round(rd.Confidence*100) / 100
	}
	housenum.ChooseBySequence(ns)
	housenum.CheckSequence(ns)
	for i, n := range ns {
		hs[i].Number, hs[i].NumberConfidence, hs[i].Doubtful = n.Number, n.Confidence, n.Doubtful
	}
	return nil
}
