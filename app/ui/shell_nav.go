package ui

import (
	"cunjing/app/ui/boards"
	"cunjing/app/ui/households"
	"cunjing/app/ui/mapedit"
)

// ShowHouseOnMap opens 地图 on the house's village, zoomed to the house
// with its details beside it (the households screen calls it).
func (u *UI) ShowHouseOnMap(houseID string) {
	u.Show(AreaMap)
	if m, ok := u.screens[AreaMap].(*mapedit.Screen); ok {
		m.ShowHouse(houseID)
	}
}

// refreshPrinted re-reads 警示牌与宣传's lists (cost items, venues, what
// was printed) after another area changed them (a station published).
func (u *UI) refreshPrinted() {
	if b, ok := u.screens[AreaBoards].(*boards.Screen); ok {
		b.RefreshLists()
	}
}

// OpenHousehold shows 住户 at the household living in a house (the map's
// 查看住户 calls it).
func (u *UI) OpenHousehold(houseID string) {
	u.Show(AreaHouseholds)
	if h, ok := u.screens[AreaHouseholds].(*households.Screen); ok {
		h.OpenHouse(houseID)
	}
}
