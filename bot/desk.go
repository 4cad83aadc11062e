package bot

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
)

// MaxTextLen is the longest request text accepted, in characters: what fits
// one Block Kit section (3,000), so a card never fails to post.
const MaxTextLen = 3000

// maxTitleLen bounds the title taken from the first line of the text.
const maxTitleLen = 80

// Desk runs requests between departments. It is free of Slack and SQL: the
// adapters turn their inputs into calls on it, and it talks back through Chat.
type Desk struct {
	Store Store
	Chat  Chat
	Clock Clock
	Log   *slog.Logger
	// Zones, when set, tells users' own time zones (from Slack profiles).
	Zones ZoneFinder
	// Locales, when set, tells users' own chat locales (Slack's "zh-CN").
	Locales LocaleFinder
	// Words is the message catalogue; nil uses the embedded one.
	Words *i18n.Catalogue
	// Observer, when set, hears what the desk does, for metrics.
	Observer Observer
	// Map answers /ask map. It is set by cmd (to report.MapCommand) because
	// the map is analytics in bot/report, which depends on bot; the help
	// lists the command either way.
	Map func(ctx context.Context, user, args string) (Reply, error)
	// Quality gives /ask depts each department's recent quality figures;
	// set by cmd (to report.QualityCommand) for the same reason as Map.
	// Without it, /ask depts shows the targets alone.
	Quality func(ctx context.Context, dir *Directory) (*QualityActuals, error)
	// Standing gives the Home's lead panels a department's figures this
	// week and this quarter (first response, resolution, right first
	// time, satisfaction); set by cmd (to report.StandingCommand) for the
	// same reason as Map. Without it, the panels show the targets alone.
	Standing func(ctx context.Context, dir *Directory, dept string) (*Standing, error)
	// Changed, when set, hears of every request change once it is stored
	// (filed or acted on): r as it is now and ev, the change (a transfer's
	// FromDept names the department it left). The Slack app keeps Home
	// tabs current with it. It must not block.
	Changed func(r *Request, ev Event)
	// Catalogue, when set, answers /ask standards and /ask manage: the
	// departments' published standards (bot/catalog), set by cmd.
	Catalogue Catalogue
	// Profiles, when set, reads a requester's department from their chat
	// profile (see RequesterDept).
	Profiles ProfileFinder

	// dir is the directory in force: the service catalogue replaces it
	// when a department changes its standards (see SetDir).
	dir atomic.Pointer[Directory]
	// base is the directory as set, before user groups' members were
	// added (people.go); groups are those last loaded. Under dirMu.
	dirMu  sync.Mutex
	base   *Directory
	groups []Group
	zones  sync.Map      // time zone name → *time.Location, for Location
	wake   chan struct{} // nudges RunDelivery when messages were written
	// delivering serialises Deliver.
	delivering sync.Mutex
	holds      map[string]time.Time // destinations paced until then; under delivering
	outage     storageOutage        // the database would not record a delivery (see StorageOutage)
	routes     routeCache           // the routing model (routing.go)
}

// New returns a desk; log may be nil.
func New(dir *Directory, store Store, chat Chat, clock Clock, log *slog.Logger) *Desk {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Desk{Store: store, Chat: chat, Clock: clock, Log: log, wake: make(chan struct{}, 1)}
	d.SetDir(dir)
	return d
}

// Dir returns the directory in force now. Callers keep the pointer for one
// piece of work, so each sees one consistent version of the catalogue.
func (d *Desk) Dir() *Directory { return d.dir.Load() }

// SetDir puts a new directory in force (a catalogue change); work already
// under way finishes on the one it started with.
func (d *Desk) SetDir(dir *Directory) {
	d.dirMu.Lock()
	defer d.dirMu.Unlock()
	d.base = dir
	d.dir.Store(withGroups(dir, d.groups)) // user groups' members stay members
}

// Now returns the clock's time at the store's precision (milliseconds), so a
// request rebuilt from stored events equals the one that was stored.
func (d *Desk) Now() time.Time { return time.UnixMilli(d.Clock.Now().UnixMilli()).UTC() }

// Filing is a new request as a user typed it.
type Filing struct {
	Requester string
	Dept      string // as typed: name or alias
	Priority  Priority
	Text      string
	Source    string // "slash", "console", "modal", "shortcut", "reaction"
	// Type names the request type (name or alias); "" files the
	// department's default type. Fields are its intake fields as typed,
	// by field name.
	Type   string
	Fields map[string]string
	// OriginChannel and OriginMessage name the chat message the request was
	// made from, if any; the desk answers in its thread, OriginThread (the
	// thread the message is in; itself when it is not a reply).
	OriginChannel, OriginMessage, OriginThread string
}

// Request returns request id as stored, for an adapter drawing what the
// desk itself sent (a link to the card in a DM); it checks no permission.
// It returns ENOTFOUND for an unknown ID.
func (d *Desk) Request(ctx context.Context, id string) (*Request, error) {
	return d.Store.Request(ctx, id)
}

// File records a new request and announces it. It returns the stored
// request (durable when File returns) or EINVALID / ENOTFOUND with help.
func (d *Desk) File(ctx context.Context, f Filing) (*Request, error) {
	if err := CheckUser(f.Requester); err != nil {
		return nil, err
	}
	dep, err := d.Dir().Department(f.Dept)
	if err != nil {
		return nil, err
	}
	text := strings.TrimSpace(CleanText(f.Text))
	if err := CheckText(text); err != nil {
		return nil, err
	}
	if f.Priority == "" {
		f.Priority = d.Dir().DefaultPriority
	}
	typ, fields, err := d.Dir().filingType(dep, f.Type, f.Fields)
	if err != nil {
		return nil, err
	}
	// The requester's department is kept as it is now, so reports of the
	// request stay the same when they move.
	reqDept := d.RequesterDept(ctx, f.Requester)
	now := d.Now()
	ev := Event{Seq: 1, Kind: EvCreated, Actor: f.Requester, At: now, Dept: dep.Name,
		Priority: f.Priority, Title: Title(text), Text: text, Source: f.Source, Standard: dep.Revision,
		Type: typ.name(), Fields: fields, Private: typ != nil && typ.Private,
		OriginChannel: f.OriginChannel, OriginMessage: f.OriginMessage, OriginThread: f.OriginThread,
		RequesterDept: reqDept}
	var r Request
	if err := r.Apply(ev); err != nil {
		return nil, err
	}
	r.SetDeadlines(dep, now)
	r.NextRemindAt = d.firstReminderAt(&r, dep, now)
	announce := func(r *Request) []Message { return d.announce(r, ev) }
	if err := d.Store.CreateRequest(ctx, dep.Prefix, &r, &ev, announce); err != nil {
		return nil, err
	}
	d.Log.InfoContext(ctx, "request filed", "request", r.ID, "dept", dep.Name, "user", f.Requester, "priority", r.Priority)
	d.observer().Filed(dep.Name)
	d.Notify()
	d.changed(&r, ev)
	return &r, nil
}

// CleanText makes what people typed safe to store on every engine and to
// show: bytes that are not UTF-8 become U+FFFD; control characters other
// than tab and newline are dropped (PostgreSQL refuses NUL in text, and
// none of them shows in Slack); and so are the invisible format characters
// that change how text around them reads (see hidden), so a title cannot
// show reversed or hide words.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, func(r rune) bool { return isControl(r) || hiddenFormat(r) || isTag(r) }) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	for _, r := range s {
		// Tag characters spell the subdivision flags (🏴 followed by tags)
		// and nothing else that Slack shows: anywhere else they are hidden
		// text.
		keep := !isControl(r) && !hiddenFormat(r) && (!isTag(r) || prev == blackFlag || isTag(prev) && prev != tagCancel)
		if keep {
			b.WriteRune(r)
			prev = r
		}
	}
	return b.String()
}

func isControl(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' }

// hiddenFormat reports the invisible format characters CleanText drops:
// the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069: "Trojan Source" text that displays in another order than
// it reads), the zero-width space, word joiner and invisible operators, the
// byte order mark, deprecated format characters and interlinear
// annotations. Kept, because scripts and emoji need them: the zero-width
// joiner and non-joiner (U+200C, U+200D), the direction marks LRM, RLM and
// ALM (which place neutral characters in right-to-left text but cannot
// reverse a run), the soft hyphen and variation selectors.
func hiddenFormat(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200B, r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x180E:
		return true
	case r >= 0x206A && r <= 0x206F, r >= 0xFFF9 && r <= 0xFFFB:
		return true
	}
	return false
}

const (
	blackFlag = 0x1F3F4
	tagCancel = 0xE007F
)

func isTag(r rune) bool { return r >= 0xE0000 && r <= 0xE007F }

// CheckText returns EINVALID with usage help for empty or oversized text.
func CheckText(text string) error {
	if strings.TrimFunc(text, invisible) == "" {
		return E(EINVALID, "err.need_text")
	}
	if n := utf8.RuneCountInString(text); n > MaxTextLen {
		return E(EINVALID, "err.request_too_long", "N", n, "Limit", MaxTextLen)
	}
	return nil
}

// invisible reports characters that show nothing: spaces and format
// characters such as the zero-width space.
func invisible(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) }

// Title is the first line of text, shortened to fit a card header.
func Title(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.TrimSpace(line)
	if utf8.RuneCountInString(line) <= maxTitleLen {
		return line
	}
	r := []rune(line)
	return strings.TrimSpace(string(r[:maxTitleLen-1])) + "…"
}

// Act is one thing a person does to an existing request.
type Act struct {
	Actor  string
	Action Action
	ID     string // as typed; normalised by Do
	Text   string // reply, question, note or reason
	Target string // reassign: a user; transfer: a department as typed
	// Via says where a reply was typed: "thread" for the card's thread, so
	// it is not echoed back there.
	Via string
}

// Do performs an act: it checks who may, checks the move is possible from
// the request's state, records the event and tells everyone concerned. It
// returns the updated request, or ENOTFOUND, EFORBIDDEN, ECONFLICT, EINVALID.
func (d *Desk) Do(ctx context.Context, a Act) (*Request, error) {
	if err := CheckUser(a.Actor); err != nil {
		return nil, err
	}
	return d.act(ctx, a)
}

// act is Do for a checked actor, SystemActor included (askdesk acting on
// its own, such as closing a resolved request nobody reopened).
func (d *Desk) act(ctx context.Context, a Act) (*Request, error) {
	id, err := NormalizeID(a.ID)
	if err != nil {
		return nil, err
	}
	a.ID = id
	a.Text = CleanText(a.Text)
	// One retry on a version conflict: the other change is then visible and
	// the act is re-checked against it.
	for attempt := 0; ; attempt++ {
		r, ev, err := d.prepare(ctx, a)
		if err != nil {
			return nil, err
		}
		msgs := d.announce(r, ev)
		var ask *Rating
		if ev.Kind == EvResolved {
			a, err := d.ratingAsk(ctx, r, ev.At)
			if err != nil {
				return nil, err
			}
			if a.Skipped == "" {
				d.addRatingPrompt(msgs, r)
			}
			ask = &a
		}
		err = d.Store.Append(ctx, r, ev, msgs)
		if ErrorCode(err) == ECONFLICT && attempt == 0 {
			continue
		}
		if err != nil {
			return nil, err
		}
		d.Log.InfoContext(ctx, "request changed", "request", r.ID, "event", ev.Kind, "user", a.Actor, "state", r.State)
		if ask != nil {
			// After the resolution is durable: a crash in between loses only
			// the count of this prompt, and a rating still creates the row.
			if err := d.Store.RecordAsk(ctx, *ask); err != nil {
				d.Log.ErrorContext(ctx, "record rating prompt", "request", r.ID, "err", err)
			}
		}
		if ev.Kind == EvCommented && ev.Actor == r.Requester && (r.State == Resolved || r.State == Closed) {
			// The requester's reply after rating is the rating's comment
			// too, and on a low rating it reaches the leads, as the
			// recovery message promised. The reply itself is stored: a
			// failure here is logged, not the reply's.
			if ok, err := d.Store.SetRatingComment(ctx, r.ID, r.Reopens, ev.Text); err != nil {
				d.Log.ErrorContext(ctx, "rating comment", "request", r.ID, "err", err)
			} else if ok {
				if err := d.tellLeadsOfComment(ctx, r, ev.Text, ev.At); err != nil {
					d.Log.ErrorContext(ctx, "rating comment to leads", "request", r.ID, "err", err)
				}
			}
		}
		d.Notify()
		d.changed(r, ev)
		return r, nil
	}
}

// changed tells Changed, if set, of a stored change.
func (d *Desk) changed(r *Request, ev Event) {
	if d.Changed != nil {
		d.Changed(r, ev)
	}
}

// prepare loads the request and builds the event for a, applied to a copy.
func (d *Desk) prepare(ctx context.Context, a Act) (*Request, Event, error) {
	r, err := d.Store.Request(ctx, a.ID)
	if err != nil {
		return nil, Event{}, err
	}
	if err := d.Dir().Authorize(a.Actor, a.Action, r); err != nil {
		return nil, Event{}, err
	}
	now := d.Now()
	ev := Event{RequestID: r.ID, Seq: r.Version + 1, Actor: a.Actor, At: now, Text: strings.TrimSpace(a.Text), Source: a.Via, Private: r.Private}
	if err := d.fillEvent(r, a, &ev); err != nil {
		return nil, Event{}, err
	}
	next := *r
	next.Pauses = append([]Interval(nil), r.Pauses...)
	if err := next.Apply(ev); err != nil {
		return nil, Event{}, err
	}
	dep := d.Dir().StandardOf(&next)
	if dep == nil {
		return nil, Event{}, E(EINVALID, "err.dept_gone", "ID", r.ID, "Dept", next.Dept)
	}
	next.SetDeadlines(dep, now)
	next.NextRemindAt = d.firstReminderAt(&next, dep, now)
	return &next, ev, nil
}

// Get returns a request user may see (MayView), with its history.
func (d *Desk) Get(ctx context.Context, user, id string) (*Request, []Event, error) {
	id, err := NormalizeID(id)
	if err != nil {
		return nil, nil, err
	}
	r, err := d.Store.Request(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := d.MayView(ctx, user, r); err != nil {
		return nil, nil, err
	}
	evs, err := d.Store.Events(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return r, evs, nil
}
