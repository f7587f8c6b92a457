package tab

import (
	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/store"
	"cunjing/store/schedule"
)

// Host is what a tab of 巡逻排班 uses of the screen it sits in: the
// window, the day, whose records show, the records loaded once per
// refresh, and the screen's way of saving, deleting and listing a record
// (a station only looks; a month the station approved turns an edit into
// a request to unlock).
type Host interface {
	Env() kit.Base
	Today() schedule.Date
	// Owner is the post whose records show; "" is every post's (a
	// station's 全部警务室) or, at a post, its own.
	Owner() string
	Data() *Data
	Refresh()
	Save(f *kit.EditForm, onSaved func(), recs ...store.Record)
	Remove(rec store.Record, id string)
	RecordCard(title, subtitle, text string, edit func(), name string, del func()) fyne.CanvasObject
}
