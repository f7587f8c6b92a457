package kit

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit/wrap"
)

// Message is a status line under a form or a tab: what happened, in the
// user's words, and — when something failed — the technical cause (a Go
// error, often English) folded away under 详细信息, as ErrorContent does
// in a dialog. A status line never shows a raw error in its text.
type Message struct {
	widget.BaseWidget
	label  *wrap.Label
	detail *widget.Label
	fold   *widget.Accordion
}

// NewMessage is an empty status line.
func NewMessage() *Message {
	m := &Message{label: Wrapped(""), detail: widget.NewLabel("")}
	m.label.Importance = widget.LowImportance
	m.detail.Wrapping = fyne.TextWrapWord
	m.detail.Importance = widget.LowImportance
	m.fold = widget.NewAccordion(widget.NewAccordionItem(lang.L("error.details"), m.detail))
	m.fold.Hide()
	m.ExtendBaseWidget(m)
	return m
}

// SetText says what happened; any earlier error's detail goes.
func (m *Message) SetText(text string) {
	Relaid(m, func() {
		m.label.SetText(text)
		m.detail.SetText("")
		m.fold.CloseAll()
		m.fold.Hide()
	})
}

// SetError says what failed in the user's words, with err behind the
// 详细信息 fold (closed). A nil err is the same as SetText.
func (m *Message) SetError(what string, err error) {
	if err == nil {
		m.SetText(what)
		return
	}
	Relaid(m, func() {
		m.label.SetText(what)
		m.detail.SetText(err.Error())
		m.fold.CloseAll()
		m.fold.Show()
	})
}

// SetImportance colours the line (widget.DangerImportance for a fault).
func (m *Message) SetImportance(i widget.Importance) {
	m.label.Importance = i
	m.label.Refresh()
}

// DetailFold is err's text folded under 详细信息 (closed), for beside a
// message already in the user's words.
func DetailFold(err error) fyne.CanvasObject {
	d := widget.NewLabel(err.Error())
	d.Wrapping = fyne.TextWrapWord
	d.Importance = widget.LowImportance
	return widget.NewAccordion(widget.NewAccordionItem(lang.L("error.details"), d))
}

// JoinLines joins the non-empty lines with newlines.
func JoinLines(lines ...string) string {
	var out []string
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// ErrorLine is a status line that says what failed, with err folded.
func ErrorLine(what string, err error) *Message {
	m := NewMessage()
	m.SetError(what, err)
	return m
}

// Text is what the line says (without the folded detail).
func (m *Message) Text() string { return m.label.Raw() }

// Detail is the folded technical cause ("" when none).
func (m *Message) Detail() string { return m.detail.Text }

// CreateRenderer lays the line over its fold.
func (m *Message) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewVBox(m.label, m.fold))
}
