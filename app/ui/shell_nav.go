package ui

import "cunjing/app/ui/mapedit"

// ShowHouseOnMap opens 地图 on the house's village, zoomed to the house
// with its details beside it (the households screen calls it).
func (u *UI) ShowHouseOnMap(houseID string) {
	u.Show(AreaMap)
	if m, ok := u.screens[AreaMap].(*mapedit.Screen); ok {
		m.ShowHouse(houseID)
	}
}
