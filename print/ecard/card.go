// Package ecard lays out the emergency card (警情一键, issue #24): one
// house, the fire engine's route to it, who inside needs help, the phones
// to call and who is on duty, as a picture for a phone screen (PNG, to
// send by WeChat), as an A4 page to print, and as plain text for SMS.
//
// It works on plain values (Card, the village map, a font): the caller
// (app/emergency) looks the house up and decides what each role may see.
// The picture is drawn with the Go image packages and the map's own
// raster renderer (render.Renderer), so nothing here needs a window.
package ecard

import (
	"fmt"
	"math"
	"strings"
	"time"

	"cunjing/maps"
	"cunjing/maps/route"
	"cunjing/print/typeset"
)

// House is the house the card is for. Its JSON keys are the CLI's.
type House struct {
	Number string  `json:"number"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Head   string  `json:"head"` // the head of the household (户主)

	ID      string   `json:"-"`
	History []string `json:"-"` // numbers it had before
}

// Person is someone living in the house. Age is nil when unknown.
type Person struct {
	Name  string   `json:"name"`
	Age   *int     `json:"age"`
	Needs []string `json:"needs"`
}

// Phone is a number to call about the house: the household's own people
// and contacts, and the neighbours.
type Phone struct {
	Name     string `json:"name"`
	Relation string `json:"relation"` // 户主, 租户, 儿子, 紧急联系人, 邻居（205号）…
	Phone    string `json:"phone"`
}

// Duty is someone on duty now by the roster, until when.
type Duty struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Phone string `json:"phone"`
	Until string `json:"until"` // "2026-12-05 08:00"
}

// Service is a public emergency number.
type Service struct {
	Name   string // 火警
	Number string // 119
}

// Services are the numbers every card ends with.
var Services = []Service{{"火警", "119"}, {"急救", "120"}, {"报警", "110"}}

// Card is everything on one emergency card. The JSON keys are the CLI's
// (`cunjing emergency … --json`): house, route, people, phones, on_duty,
// text.
type Card struct {
	House  House         `json:"house"`
	Route  *route.Result `json:"route"`
	People []Person      `json:"people"`
	Phones []Phone       `json:"phones"`
	OnDuty []Duty        `json:"on_duty"`
	Text   string        `json:"text"`

	Village   string    `json:"-"`
	Post      string    `json:"-"` // the post's name
	Officer   string    `json:"-"`
	PostPhone string    `json:"-"`
	At        time.Time `json:"-"` // when the card was made
	// RouteErr says why there is no route (a map without lanes).
	RouteErr string `json:"-"`
}

// NeedHelp lists the people with needs, in card order.
func (c *Card) NeedHelp() []Person {
	var out []Person
	for _, p := range c.People {
		if len(p.Needs) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// PersonLine is one person as the card says it: 王秀英 82岁：独居、卧床.
func PersonLine(p Person) string {
	s := p.Name
	if p.Age != nil {
		s += fmt.Sprintf(" %d岁", *p.Age)
	}
	if len(p.Needs) > 0 {
		s += "：" + strings.Join(p.Needs, "、")
	}
	return s
}

// PhoneLine is one phone as the card says it: 户主 王建国 139 0392 1110.
func PhoneLine(p Phone) string {
	return strings.TrimSpace(p.Relation + " " + p.Name + " " + typeset.Phone(p.Phone))
}

// DutyLine is one person on duty: 李强（民警）139 0392 1111，到 08:00.
func DutyLine(d Duty, at time.Time) string {
	s := d.Name
	if d.Role != "" {
		s += "（" + d.Role + "）"
	}
	if d.Phone != "" {
		s += typeset.Phone(d.Phone)
	}
	if d.Until != "" {
		s += "，到" + untilWords(d.Until, at)
	}
	return s
}

// untilWords shortens "2026-12-05 08:00" to " 08:00" (today), "明天
// 08:00", or the date and time. until is a wall time in at's zone (the
// card's, Beijing time: app/emergency writes it from the same clock), so
// the days compared are the card's days, never the machine's.
func untilWords(until string, at time.Time) string {
	t, err := time.ParseInLocation("2006-01-02 15:04", until, at.Location())
	if err != nil || at.IsZero() {
		return until
	}
	y1, m1, d1 := at.Date()
	y2, m2, d2 := t.Date()
	day1 := time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)
	day2 := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)
	switch int(math.Round(day2.Sub(day1).Hours() / 24)) {
	case 0:
		return " " + t.Format("15:04")
	case 1:
		return "明天 " + t.Format("15:04")
	}
	return fmt.Sprintf("%d月%d日 %s", int(m2), d2, t.Format("15:04"))
}

// RouteText is the route sentence for the brigade, or why there is none.
func (c *Card) RouteText() string {
	if c.Route != nil {
		return c.Route.PhoneText()
	}
	if c.RouteErr != "" {
		return "算不出消防车路线：" + c.RouteErr
	}
	return "算不出消防车路线"
}

// Title is the card's headline: 紧急 张庄村 203号.
func (c *Card) Title() string {
	t := "紧急 " + c.Village + " " + c.House.Number + "号"
	return strings.TrimSpace(strings.ReplaceAll(t, "  ", " "))
}

// Subtitle names the head of the household and the card's time.
func (c *Card) Subtitle() string {
	var parts []string
	if c.House.Head != "" {
		parts = append(parts, "户主 "+c.House.Head)
	}
	if len(c.House.History) > 0 {
		parts = append(parts, "原门牌 "+strings.Join(c.House.History, "、"))
	}
	if !c.At.IsZero() {
		parts = append(parts, c.At.Format("2006-01-02 15:04"))
	}
	return strings.Join(parts, "　")
}

// ServicesLine is 火警 119　急救 120　报警 110.
func ServicesLine() string {
	var s []string
	for _, x := range Services {
		s = append(s, x.Name+" "+x.Number)
	}
	return strings.Join(s, "　")
}

// PostLine names the post and its phone.
func (c *Card) PostLine() string {
	return strings.TrimSpace(strings.Join(strings.Fields(c.Post+" "+c.Officer+" "+typeset.Phone(c.PostPhone)), " "))
}

// Sections are the card's parts in order, each a heading and its lines;
// the PNG, the A4 page and the plain text all say the same.
type Section struct {
	Heading string
	Lines   []string
	Alert   bool // drawn in red (who needs help)
}

// Sections lists the card's text below the title.
func (c *Card) Sections() []Section {
	route := Section{Heading: "消防车路线（读给消防队）", Lines: []string{c.RouteText()}}
	help := Section{Heading: "屋里需要帮助的人", Alert: true}
	for _, p := range c.NeedHelp() {
		help.Lines = append(help.Lines, PersonLine(p))
	}
	if len(help.Lines) == 0 {
		help.Alert = false
		help.Lines = []string{"没有登记需要帮助的人"}
	}
	if n := len(c.People); n > 0 {
		help.Lines = append(help.Lines, fmt.Sprintf("登记住在屋里的共%d人", n))
	}
	phones := Section{Heading: "电话"}
	for _, p := range c.Phones {
		phones.Lines = append(phones.Lines, PhoneLine(p))
	}
	if len(phones.Lines) == 0 {
		phones.Lines = []string{"没有登记电话"}
	}
	duty := Section{Heading: "现在值班"}
	for _, d := range c.OnDuty {
		duty.Lines = append(duty.Lines, DutyLine(d, c.At))
	}
	if len(duty.Lines) == 0 {
		duty.Lines = []string{"排班里现在没有人值班"}
	}
	if p := c.PostLine(); p != "" {
		duty.Lines = append(duty.Lines, "警务室 "+p)
	}
	return []Section{route, help, phones, duty}
}

// PlainText is the whole card as text for SMS and the clipboard.
func (c *Card) PlainText() string {
	var b strings.Builder
	b.WriteString("【" + c.Title() + "】\n")
	if s := c.Subtitle(); s != "" {
		b.WriteString(s + "\n")
	}
	for _, s := range c.Sections() {
		b.WriteString(s.Heading + "：\n")
		for _, l := range s.Lines {
			b.WriteString(l + "\n")
		}
	}
	b.WriteString(ServicesLine())
	return b.String()
}

// view is the part of the map the card shows: the house, where the
// engine stops, the hose, the water the sentence names and the last
// stretch of the drive, at least minSpan metres across.
func (c *Card) view(v *maps.Village) maps.Rect {
	const minSpan = 90.0
	const driveTail = 160.0
	r := maps.EmptyRect()
	for i := range v.Houses {
		if v.Houses[i].ID == c.House.ID {
			r = r.Union(v.Houses[i].Polygon.Bounds())
		}
	}
	if r.IsEmpty() {
		r = r.Extend(maps.Point{X: c.House.X, Y: c.House.Y})
	}
	if rt := c.Route; rt != nil {
		if rt.Stop != nil {
			r = r.Extend(maps.Point{X: rt.Stop.X, Y: rt.Stop.Y})
		}
		for _, p := range rt.HosePath {
			r = r.Extend(p)
		}
		for _, w := range rt.NamedWater() {
			r = r.Extend(w.At)
		}
		// The drive backwards from the stop, up to driveTail metres.
		left := driveTail
		for i := len(rt.Path) - 1; i > 0 && left > 0; i-- {
			r = r.Extend(rt.Path[i])
			left -= maps.Dist(rt.Path[i], rt.Path[i-1])
			if left > 0 {
				r = r.Extend(rt.Path[i-1])
			}
		}
	}
	ctr := r.Center()
	w, h := math.Max(r.W(), minSpan), math.Max(r.H(), minSpan)
	return maps.Rect{Min: maps.Point{X: ctr.X - w/2, Y: ctr.Y - h/2}, Max: maps.Point{X: ctr.X + w/2, Y: ctr.Y + h/2}}
}
