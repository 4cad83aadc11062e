package report

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// The export's tables and their columns, in order. They are a contract
// with the company's BI: add columns at the end, never rename or reorder
// (TestExportColumnsStable holds them to testdata/export_columns.golden).
// Times are RFC 3339 in UTC with milliseconds (TimeFormat); durations are
// whole seconds of business time in the owning department's calendar (of
// calendar time for a clock whose target is in calendar time), and
// the SLA columns are its part: from held_since, when it took the request
// (the filing, or the last transfer; docs/sla.md, "Transfers");
// empty (CSV) or null (JSONL) means "does not apply" or "not yet".
var (
	RequestColumns = []string{
		"id", "dept", "requester", "requester_dept", "assignee", "priority", "state", "title", "text", "source",
		"created_at", "updated_at", "first_response_at", "resolution_start", "resolved_at", "closed_at",
		"reopens", "transfers",
		"first_response_target_s", "first_response_s", "first_response_met",
		"resolution_target_s", "resolution_s", "waiting_s", "resolution_met",
		"held_since", "type", "private", "fields",
	}
	EventColumns = []string{
		"request_id", "seq", "kind", "actor", "at", "dept", "from_dept", "assignee", "priority", "title", "text", "source",
	}
	RatingColumns = []string{
		"request_id", "round", "requester", "requester_dept", "dept", "asked_at", "skipped", "score", "rated_at", "comment", "reminded_at",
	}
)

// Exporter turns requests, events and ratings into export records (one
// value per column: string, int, bool, time.Time or nil). It works out
// each request's SLA clocks as the digest does, with an index of each
// department's calendar built at the first request of that department, so
// a million requests cost a few hundred nanoseconds each.
type Exporter struct {
	dir   *bot.Directory
	now   time.Time
	index map[string]*bizIndex
}

// NewExporter returns an exporter that evaluates running clocks at now.
func NewExporter(dir *bot.Directory, now time.Time) *Exporter {
	return &Exporter{dir: dir, now: now, index: map[string]*bizIndex{}}
}

// customerDept is the department a requester belongs to now (the config's
// [people] entry, or where they work), or "unknown".
func customerDept(dir *bot.Directory, user string) string {
	if d := dir.HomeDepartment(user); d != "" {
		return d
	}
	return UnknownDept
}

// requesterDept is the customer department of r: its requester's
// department as stamped when it was filed, or, for a request filed before
// askdesk kept it, the one they belong to now.
func requesterDept(dir *bot.Directory, r *bot.Request) string {
	if r.RequesterDept != "" {
		return r.RequesterDept
	}
	return customerDept(dir, r.Requester)
}

// Request returns r's record, in RequestColumns' order. The clock columns
// are empty when r's department is no longer in the config.
func (e *Exporter) Request(r *bot.Request) []any {
	title, text, fields := r.Title, r.Text, fieldsJSON(r.Fields)
	if r.Private { // a private request's words stay in askdesk
		title, text, fields = "", "", ""
	}
	rec := []any{r.ID, r.Dept, r.Requester, requesterDept(e.dir, r), r.Assignee, string(r.Priority), string(r.State),
		title, text, r.Source, r.CreatedAt, r.UpdatedAt, r.FirstResponseAt, r.ResolutionStart, r.ResolvedAt, r.ClosedAt,
		r.Reopens, r.Transfers}
	tail := []any{r.HeldSince, r.Type, r.Private, fields}
	dep := e.dir.ByName(r.Dept)
	if dep == nil {
		return append(append(rec, nil, nil, nil, nil, nil, nil, nil), tail...)
	}
	x := e.index[dep.Name]
	if x == nil {
		// Requests come in order of filing: this is the department's
		// earliest. Instants outside the index fall back to the calendar.
		x = newBizIndex(dep.Calendar, maxTime(r.CreatedAt, e.now.Add(-indexSpan)), e.now.Add(62*24*time.Hour))
		e.index[dep.Name] = x
	}
	// Judged on the targets of the standard it was filed under.
	f := reqFacts{r: r, dep: dep.AtRevision(r.StandardRev)}
	(&digestData{now: e.now}).work(&f, x)
	var frTime, frMet, resTime, waiting, resMet any
	if !r.FirstResponseAt.IsZero() {
		frTime = secondsOf(f.frTime)
	}
	if !f.frDecided.IsZero() {
		frMet = f.frMet
	}
	if f.resolved {
		resTime, resMet = secondsOf(f.resTime), f.resMet
		waiting = secondsOf(x.clockBetween(f.res, f.res.Start, f.res.Stop) - f.resTime)
	} else if _, breached := x.breached(f.res, e.now); breached && r.State.Active() {
		resMet = false
	}
	return append(append(rec, secondsOf(f.first.Target), frTime, frMet, secondsOf(f.res.Target), resTime, waiting, resMet), tail...)
}

// fieldsJSON is a request's fields as one JSON object, {"amount":"42.50"},
// in the type's order; "" when it has none. One column holds them all, so
// the columns stay the same whatever the types (see RequestColumns).
func fieldsJSON(fs []bot.FieldValue) string {
	if len(fs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Name)
		v, _ := json.Marshal(f.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

func secondsOf(d time.Duration) int64 { return int64(d / time.Second) }

// EventRecord returns ev's record, in EventColumns' order.
// The title and text of a private request's events are left empty.
func EventRecord(ev bot.Event) []any {
	if ev.Private {
		ev.Title, ev.Text = "", ""
	}
	return []any{ev.RequestID, ev.Seq, string(ev.Kind), ev.Actor, ev.At, ev.Dept, ev.FromDept, ev.Assignee,
		string(ev.Priority), ev.Title, ev.Text, ev.Source}
}

// Rating returns r's record, in RatingColumns' order; a score not given
// (or withdrawn) is empty.
func (e *Exporter) Rating(r bot.Rating) []any {
	var score any
	if r.Rated() {
		score = r.Score
	}
	comment := r.Comment
	if r.Private {
		comment = ""
	}
	return []any{r.RequestID, r.Round, r.Requester, customerDept(e.dir, r.Requester), r.Dept, r.AskedAt, r.Skipped,
		score, r.RatedAt, comment, r.Reminded}
}
