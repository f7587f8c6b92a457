package station

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	stationwords "cunjing/app/lang/translations/station"
	"cunjing/app/ui/kit"
	syncstation "cunjing/sync/station"
)

// The tints of a need's chip: a pale red for what stops the post's data
// reaching the station or its patrols, a pale orange for the rest.
var (
	tintUrgent = color.NRGBA{R: 0xfb, G: 0xdc, B: 0xdc, A: 0xff}
	tintNotice = color.NRGBA{R: 0xfd, G: 0xeb, B: 0xcc, A: 0xff}
)

// needWords says one need of post p in a few words, for its chip.
func needWords(n syncstation.Need, p syncstation.PostView) string {
	switch n {
	case syncstation.NeedPaused:
		return lang.L("station.need.paused")
	case syncstation.NeedDiverged:
		return lang.L("station.need.diverged")
	case syncstation.NeedNoData:
		return lang.L("station.need.noData")
	case syncstation.NeedStale:
		return lang.L("station.stale")
	case syncstation.NeedPatrols:
		return fmt.Sprintf(lang.L("station.need.patrols"), int(p.Plan.Rate*100+0.5))
	case syncstation.NeedRequests:
		return fmt.Sprintf(lang.L("station.need.requests"), p.Requests)
	case syncstation.NeedRoster:
		return lang.L("station.need.roster")
	case syncstation.NeedWaiting:
		return fmt.Sprintf(lang.L("station.need.waiting"), p.Waiting)
	}
	return lang.L("station.need.clock")
}

// needChips are a post's needs as chips, most urgent first; an unpaired
// post's one chip says so.
func needChips(p syncstation.PostView) []fyne.CanvasObject {
	if p.Unpaired {
		return []fyne.CanvasObject{kit.Chip(lang.L("station.unpaired"), kit.ColHeader)}
	}
	var out []fyne.CanvasObject
	for _, n := range p.Needs() {
		tint := tintNotice
		if n <= syncstation.NeedPatrols {
			tint = tintUrgent
		}
		out = append(out, kit.Chip(needWords(n, p), tint))
	}
	return out
}

// needLines say in full what the chips name in short: a paused sync and
// a split, each in sync's words (what happened and what to do).
func needLines(p syncstation.PostView) []fyne.CanvasObject {
	var ws []string
	if p.Paused != "" {
		ws = append(ws, p.Paused)
	}
	ws = append(ws, p.Divergences...)
	return kit.WarningLines(ws)
}

// postTitle is a post's name, red and bold when it needs attention.
func postTitle(p syncstation.PostView) *widget.Label {
	title := widget.NewLabelWithStyle(p.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if len(p.Needs()) > 0 {
		title.Importance = widget.DangerImportance
	}
	return title
}

// attentionRow is one post on 全镇总览: its name and needs, when its data
// last arrived, its patrols and counts on one line, and 查看, which opens
// it in 各警务室 (open nil: no button).
func attentionRow(p syncstation.PostView, plansReady bool, open func(deviceID string)) fyne.CanvasObject {
	patrols := lang.L("station.patrolsPending")
	if plansReady {
		patrols = patrolWords(p.Plan)
	}
	st := p.Stats
	line := fmt.Sprintf(lang.L("station.dash.row"), freshWords(p.Freshness), patrols,
		stationwords.Counts(windowL, st))
	if p.NothingArrived() {
		line = lang.L("station.nothingYet")
	}
	body := container.NewVBox(container.NewHBox(append([]fyne.CanvasObject{postTitle(p)}, needChips(p)...)...), kit.Wrapped(line))
	if open == nil {
		return body
	}
	id := p.DeviceID
	btn := widget.NewButtonWithIcon(lang.L("station.open"), theme.NavigateNextIcon(), func() { open(id) })
	return container.NewBorder(nil, nil, nil, container.NewVBox(btn), body)
}

// needCount is how many of posts need attention.
func needCount(posts []syncstation.PostView) int {
	n := 0
	for _, p := range posts {
		if len(p.Needs()) > 0 {
			n++
		}
	}
	return n
}
