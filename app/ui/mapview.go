package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/store"
)

// mapScreen is 地图: per village, its numbered houses (with the numbers
// they had before) and its lanes and landmarks, with a find box over house
// numbers old and new.
type mapScreen struct {
	u    *UI
	root fyne.CanvasObject

	village  *widget.Select
	find     *widget.Entry
	summary  *widget.Label
	houses   *widget.List
	features *fyne.Container

	mu       sync.Mutex
	villages []store.Village
	all      []store.House
	shown    []store.House
	owners   map[string]string // house ID → householder names
}

func newMapScreen(u *UI) *mapScreen {
	m := &mapScreen{u: u, features: container.NewVBox(), summary: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})}
	m.village = widget.NewSelect(nil, func(string) { m.loadVillage() })
	m.village.PlaceHolder = lang.L("map.pickVillage")
	m.find = widget.NewEntry()
	m.find.SetPlaceHolder(lang.L("map.findHint"))
	m.find.OnChanged = func(string) { m.applyFind() }
	m.houses = widget.NewList(
		func() int { m.mu.Lock(); defer m.mu.Unlock(); return len(m.shown) },
		func() fyne.CanvasObject {
			n := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			info := widget.NewLabel("")
			info.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, withWidth(90, n), nil, info)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			m.mu.Lock()
			if id >= len(m.shown) {
				m.mu.Unlock()
				return
			}
			h := m.shown[id]
			owner := m.owners[h.ID]
			m.mu.Unlock()
			c := o.(*fyne.Container)
			c.Objects[1].(*fyne.Container).Objects[0].(*widget.Label).SetText(h.Number)
			c.Objects[0].(*widget.Label).SetText(joinWith("    ", owner, houseInfo(h)))
		})
	left := container.NewBorder(m.find, nil, nil, nil, m.houses)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(m.features)))
	split.Offset = 0.5
	top := container.NewVBox(container.NewBorder(nil, nil, heading(lang.L("nav.map")), nil, m.summary), m.village)
	m.root = container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
	m.refresh()
	return m
}

func (m *mapScreen) object() fyne.CanvasObject { return m.root }

func (m *mapScreen) refresh() {
	m.u.goBG(func(ctx context.Context) {
		vs, err := m.u.st.Villages(ctx)
		if ctx.Err() != nil {
			return
		}
		m.u.do(func() {
			if err != nil {
				m.u.showError(lang.L("error.load"), err)
				return
			}
			m.mu.Lock()
			m.villages = vs
			m.mu.Unlock()
			names := make([]string, len(vs))
			for i, v := range vs {
				names[i] = v.Name
			}
			m.village.Options = names
			if len(vs) == 0 {
				m.summary.SetText(lang.L("map.noVillages"))
			}
			if m.village.SelectedIndex() < 0 && len(vs) > 0 {
				m.village.SetSelectedIndex(0) // loads it
			} else {
				m.village.Refresh()
				m.loadVillage()
			}
		})
	})
}

func (m *mapScreen) loadVillage() {
	i := m.village.SelectedIndex()
	m.mu.Lock()
	if i < 0 || i >= len(m.villages) {
		m.mu.Unlock()
		return
	}
	v := m.villages[i]
	m.mu.Unlock()
	m.u.goBG(func(ctx context.Context) {
		hs, err := m.u.st.Houses(ctx, v.ID)
		var fs []store.Feature
		if err == nil {
			fs, err = m.u.st.Features(ctx, v.ID)
		}
		owners := map[string]string{}
		if err == nil {
			var rows []store.HouseholdRow
			rows, err = m.u.st.Households(ctx, store.HouseholdFilter{VillageID: v.ID})
			for _, r := range rows {
				owners[r.HouseID] = joinNonEmpty(owners[r.HouseID], r.OwnerName)
			}
		}
		if ctx.Err() != nil {
			return
		}
		m.u.do(func() {
			if err != nil {
				m.u.showError(lang.L("error.load"), err)
				return
			}
			m.mu.Lock()
			m.all = hs
			m.owners = owners
			m.mu.Unlock()
			m.summary.SetText(fmt.Sprintf(lang.L("map.summary"), len(hs), len(fs)))
			m.features.Objects = featuresView(fs)
			m.features.Refresh()
			m.applyFind()
		})
	})
}

// applyFind narrows the house list to numbers (current or former) that
// start with what was typed.
func (m *mapScreen) applyFind() {
	q := strings.TrimSpace(m.find.Text)
	m.mu.Lock()
	m.shown = m.shown[:0:0]
	for _, h := range m.all {
		if q == "" || houseMatches(h, q) {
			m.shown = append(m.shown, h)
		}
	}
	m.mu.Unlock()
	m.houses.Refresh()
}

func houseMatches(h store.House, q string) bool {
	if strings.HasPrefix(h.Number, q) {
		return true
	}
	for _, old := range h.History {
		if strings.HasPrefix(old, q) {
			return true
		}
	}
	return false
}

func houseInfo(h store.House) string {
	parts := []string{codeWord("house", h.Kind)}
	if h.Floors > 0 {
		parts = append(parts, fmt.Sprintf(lang.L("map.floors"), h.Floors))
	}
	if len(h.History) > 0 {
		parts = append(parts, lang.L("map.formerly")+joinWith(", ", h.History...))
	}
	parts = append(parts, h.Notes)
	return joinNonEmpty(parts...)
}

// featuresView lists lanes and roads with their widths (what decides where
// a fire engine can go), then landmarks.
func featuresView(fs []store.Feature) []fyne.CanvasObject {
	if len(fs) == 0 {
		return []fyne.CanvasObject{statusLabel(lang.L("map.noFeatures"))}
	}
	var out []fyne.CanvasObject
	last := ""
	for _, f := range fs {
		if f.Kind != last {
			last = f.Kind
			out = append(out, heading(codeWord("feature", f.Kind)))
		}
		text := f.Name
		if text == "" {
			text = codeWord("feature", f.Kind)
		}
		if f.WidthM > 0 {
			text += "  " + fmt.Sprintf(lang.L("map.width"), f.WidthM)
		}
		out = append(out, widget.NewLabel(text))
	}
	return out
}
