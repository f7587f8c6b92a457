package demodata

// What keeps the demo believable beyond random names: notes that promise
// only what the map has, and visit notes that fit the household visited.
// TestDemoRealistic checks these and the household ages.

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"cunjing/maps"
	"cunjing/maps/lanenet"
	"cunjing/maps/route"
	"cunjing/store"
)

// EngineEntrances lists the entrances of mv a fire engine of the default
// width can drive in by: the nearest lane at least that wide is about as
// near as the nearest lane of any width (the lane the entrance opens on).
func EngineEntrances(mv *maps.Village) ([]string, error) {
	if len(mv.Lanes) == 0 {
		return nil, nil
	}
	g, err := lanenet.BuildGraph(mv.Lanes)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range mv.Entrances() {
		any, ok := g.Nearest(e.Point, 0)
		wide, okw := g.Nearest(e.Point, route.DefaultVehicleWidth)
		if ok && okw && wide.Off <= any.Off+1 {
			out = append(out, e.Name)
		}
	}
	return out, nil
}

// VillageNotes describes a village's map in a line, the way an officer
// notes it: the main street's direction and width, and which entrances a
// fire engine can use (or that it must stop at the entrance).
func VillageNotes(mv *maps.Village) (string, error) {
	var parts []string
	for _, l := range mv.Lanes {
		if l.Name != "主街" || len(l.Points) < 2 {
			continue
		}
		a, b := l.Points[0], l.Points[len(l.Points)-1]
		dir := "东西"
		if math.Abs(b.Y-a.Y) > math.Abs(b.X-a.X) {
			dir = "南北"
		}
		parts = append(parts, fmt.Sprintf("主街%s走向，宽%.1f米", dir, l.Width))
		break
	}
	in, err := EngineEntrances(mv)
	if err != nil {
		return "", err
	}
	var all []string
	for _, e := range mv.Entrances() {
		all = append(all, e.Name)
	}
	switch {
	case len(all) == 0:
		parts = append(parts, "地图上还没有标村口")
	case len(in) == 0:
		parts = append(parts, "巷道都不足4米宽，消防车停"+strings.Join(all, "、"))
	case len(in) == len(all):
		parts = append(parts, strings.Join(in, "、")+"可进消防车")
	default:
		var out []string
		for _, n := range all {
			if !slices.Contains(in, n) {
				out = append(out, n)
			}
		}
		parts = append(parts, strings.Join(in, "、")+"可进消防车，"+strings.Join(out, "、")+"进不去")
	}
	return strings.Join(parts, "；"), nil
}

// VisitNotes are what a visit to hh may be about: the general ones, and
// those its categories call for (留守老人 only where there are left-behind
// elderly, and so on). An empty house gets only a look at the house.
func VisitNotes(hh *store.Household) []string {
	if hh.Status == store.StatusEmpty {
		return []string{"空房，查看门窗、水电是否安全"}
	}
	notes := []string{"入户走访，家中情况正常", "宣传防诈骗知识", "检查用电用火安全", "核对常住人口信息"}
	for _, c := range hh.Categories {
		notes = append(notes, categoryNotes[c]...)
	}
	return notes
}

// categoryNotes are the visit notes each household category calls for.
var categoryNotes = map[string][]string{
	store.CatElderly:  {"了解留守老人生活情况"},
	store.CatAlone:    {"看望独居老人，留下联系电话"},
	store.CatChild:    {"了解留守儿童学习生活情况", "提醒看护孩子，宣传防溺水"},
	store.CatRental:   {"检查出租屋登记和消防安全"},
	store.CatFloating: {"核对流动人口居住登记"},
	store.CatKey:      {"重点户走访，了解近期情况"},
}

// NoteCategory is the category a visit note is about ("" for a general
// note), for checking that visits fit their household.
func NoteCategory(note string) string {
	for c, ns := range categoryNotes {
		if slices.Contains(ns, note) {
			return c
		}
	}
	return ""
}
