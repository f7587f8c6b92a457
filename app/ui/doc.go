// Package ui owns cunjing's screens: the navigation frame, the 住户
// (households) list and detail, 统计, 设置, the first-run choice, and the
// areas the later issues grow (地图, 巡逻排班, 警示牌与宣传, 同步), plus the
// theme that draws Chinese with a CJK TrueType font.
//
// Everything here takes a fyne.App and fyne.Window from its caller and never
// imports fyne.io/fyne/v2/app, so the screens run headless under
// fyne.io/fyne/v2/test. Data comes only through the store API (no SQL
// here); queries run off the UI goroutine and hand their results back with
// fyne.Do. Text goes through fyne.io/fyne/v2/lang message keys whose
// Chinese and English live in cunjing/app/lang.
package ui
