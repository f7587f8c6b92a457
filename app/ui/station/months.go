package station

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// approvalMonths is how many months 月度审核 offers: this one and the
// ones before it.
const approvalMonths = 3

// months is one post's 月度审核 (monthly approval): per month whether the
// station approved it (its patrol logs and visits locked on both sides),
// 审核通过 or 解锁 with a reason, and the post's requests to unlock.
type months struct {
	u          DrillEnv
	post, name string
	box        *fyne.Container
	msg        *kit.Message
	reasons    map[string]*kit.Entry // per approved month, the reason typed to unlock it
	approvals  map[string]store.MonthApproval
	requests   []store.MonthRequest
}

func newMonths(u DrillEnv, post, name string) *months {
	m := &months{u: u, post: post, name: name, box: container.NewVBox(), msg: kit.NewMessage(), reasons: map[string]*kit.Entry{}}
	m.load()
	return m
}

func (m *months) card() fyne.CanvasObject {
	return widget.NewCard(lang.L("station.months"), lang.L("station.monthsNote"), container.NewVBox(m.box, m.msg))
}

func (m *months) load() {
	var as []store.MonthApproval
	var rs []store.MonthRequest
	kit.Load(m.u, func(ctx context.Context) (err error) {
		if as, err = m.u.Store().MonthApprovals(ctx, m.post); err != nil {
			return err
		}
		rs, err = m.u.Store().MonthRequests(ctx, m.post, "")
		return err
	}, func() {
		m.approvals = map[string]store.MonthApproval{}
		for _, a := range as {
			m.approvals[a.Month] = a
		}
		m.requests = rs
		m.draw()
	})
}

// shownMonths are the months offered: this one and those before it, and
// any other month with an approval or a pending request.
func (m *months) shownMonths() []string {
	now := m.u.Now()
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	first := time.Date(now.Year(), now.Month(), 1, 12, 0, 0, 0, now.Location())
	for i := range approvalMonths {
		add(first.AddDate(0, -i, 0).Format("2006-01"))
	}
	for mo := range m.approvals {
		add(mo)
	}
	for _, r := range m.requests {
		if r.State == store.RequestPending {
			add(r.Month)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

func (m *months) draw() {
	var rows []fyne.CanvasObject
	current := m.u.Now().Format("2006-01")
	for _, mo := range m.shownMonths() {
		mo := mo
		a, ok := m.approvals[mo]
		approved := ok && a.State == store.ApprovalApproved
		var state string
		switch {
		case approved:
			state = fmt.Sprintf(lang.L("station.monthApproved"), monthWords(mo), a.By, a.At)
		case ok:
			state = fmt.Sprintf(lang.L("station.monthUnlocked"), monthWords(mo), a.By, a.At, a.Reason)
		default:
			state = fmt.Sprintf(lang.L("station.monthOpen"), monthWords(mo))
		}
		l := widget.NewLabel(state)
		l.Wrapping = fyne.TextWrapWord
		if approved {
			l.Importance = widget.SuccessImportance
			reason := kit.NewEntry()
			reason.SetPlaceHolder(lang.L("station.unlockReason"))
			m.reasons[mo] = reason
			unlock := widget.NewButtonWithIcon(lang.L("station.unlock"), theme.ViewRefreshIcon(), func() { m.unlock(mo) })
			rows = append(rows, l, container.NewBorder(nil, nil, nil, unlock, reason))
		} else if mo >= current && !ok {
			// A month is approved once it is over.
			rows = append(rows, widget.NewLabel(fmt.Sprintf(lang.L("station.monthRunning"), monthWords(mo))))
		} else {
			approve := widget.NewButtonWithIcon(lang.L("station.approve"), theme.ConfirmIcon(), func() { m.approve(mo) })
			approve.Importance = widget.HighImportance
			rows = append(rows, container.NewBorder(nil, nil, nil, approve, l))
		}
		for _, r := range m.requests {
			if r.Month == mo && r.State == store.RequestPending {
				rl := widget.NewLabel(requestWords(r))
				rl.Wrapping = fyne.TextWrapWord
				rl.Importance = widget.WarningImportance
				rows = append(rows, rl)
			}
		}
		rows = append(rows, widget.NewSeparator())
	}
	m.box.Objects = rows
	m.box.Refresh()
}

func (m *months) approve(month string) {
	kit.Run(m.u, func(ctx context.Context) error {
		return m.u.Store().ApproveMonth(ctx, m.post, month, m.u.Actor())
	}, func(err error) {
		m.msg.SetImportance(widget.DangerImportance)
		m.msg.SetError(lang.L("station.approveFailed"), err)
	}, func() {
		m.msg.SetImportance(widget.SuccessImportance)
		m.msg.SetText(fmt.Sprintf(lang.L("station.approvedNow"), monthWords(month), m.name))
		m.load()
	})
}

func (m *months) unlock(month string) {
	reason := strings.TrimSpace(m.reasons[month].Text)
	if reason == "" {
		m.msg.SetImportance(widget.DangerImportance)
		m.msg.SetText(lang.L("station.unlockNeedsReason"))
		return
	}
	var n int
	kit.Run(m.u, func(ctx context.Context) (err error) {
		n, err = m.u.Store().UnlockMonth(ctx, m.post, month, m.u.Actor(), reason)
		return err
	}, func(err error) {
		m.msg.SetImportance(widget.DangerImportance)
		if errors.Is(err, store.ErrUnlockReason) {
			m.msg.SetText(lang.L("station.unlockNeedsReason"))
			return
		}
		m.msg.SetError(lang.L("station.unlockFailed"), err)
	}, func() {
		m.msg.SetImportance(widget.SuccessImportance)
		m.msg.SetText(fmt.Sprintf(lang.L("station.unlockedNow"), monthWords(month), n))
		m.load()
	})
}

// monthWords is 2026-12 as 2026年12月.
func monthWords(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return fmt.Sprintf(lang.L("station.month"), t.Year(), int(t.Month()))
}

// requestWords says what a request to unlock would change.
func requestWords(r store.MonthRequest) string {
	var f map[string]json.RawMessage
	_ = json.Unmarshal([]byte(r.Fields), &f) // validated when saved
	var parts []string
	for _, k := range []string{"date", "start", "end", "route", "notes", "findings", "follow_up"} {
		if v, ok := f[k]; ok {
			var s string
			if json.Unmarshal(v, &s) == nil && s != "" {
				parts = append(parts, s)
			}
		}
	}
	key := "station.requestAsked"
	if r.Source == store.RequestLate {
		key = "station.requestLate"
	}
	what := lang.L("station.req." + r.Tbl)
	s := fmt.Sprintf(lang.L(key), what, strings.Join(parts, " "))
	if r.Note != "" {
		s += fmt.Sprintf(lang.L("station.requestNote"), r.Note)
	}
	return s
}
