package geo

import (
	"strings"

	"cunjing/maps"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func pt(x, y float64) maps.Point { return maps.Point{X: x, Y: y} }
