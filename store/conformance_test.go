package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// The conformance suite: what the bot relies on from storage, run on every
// backend (see eachBackend), so SQLite and PostgreSQL keep one contract.
// Ratings and surveys are in conformance_ratings_test.go, the outbox in
// conformance_outbox_test.go, concurrency in conformance_race_test.go, a
// whole desk in conformance_desk_test.go.

func requestIDs(rs []*bot.Request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestReminders(t *testing.T) { eachBackend(t, testReminders) }

func testReminders(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	for _, p := range []string{"FIN", "FIN", "FIN", "IT"} {
		mustCreate(t, db, p, map[string]string{"FIN": "finance", "IT": "it"}[p], sam, "x", t0, time.Time{})
	}
	var composed [][]bot.Reminder
	compose := func(sent []bot.Reminder) []bot.Message {
		composed = append(composed, sent)
		var out []bot.Message
		for _, r := range sent {
			out = append(out, bot.Message{To: "#reminders", Text: fmt.Sprintf("%s %s %d", r.RequestID, r.Series, r.Level)})
		}
		return out
	}
	record := func(t *testing.T, items []bot.Reminder, next []bot.NextReminder) {
		t.Helper()
		composed = nil
		if err := db.RecordReminders(ctx, items, next, t0, compose); err != nil {
			t.Fatalf("record reminders: %v", err)
		}
	}
	due := func(t *testing.T, now time.Time, after string, limit int) []string {
		t.Helper()
		rs, err := db.RemindersDue(ctx, now, after, limit)
		if err != nil {
			t.Fatalf("reminders due: %v", err)
		}
		return requestIDs(rs)
	}

	t.Run("Next", func(t *testing.T) {
		if got := due(t, t0.Add(100*h), "", 10); len(got) != 0 {
			t.Errorf("due before any was set: %v", got)
		}
		record(t, nil, []bot.NextReminder{
			{RequestID: "FIN-1", Version: 1, At: t0.Add(h)},
			{RequestID: "FIN-2", Version: 1, At: t0.Add(2 * h)},
			{RequestID: "FIN-3", Version: 2, At: t0}, // changed since the sweep read it: left alone
			{RequestID: "IT-1", Version: 1, At: t0.Add(30 * time.Minute)},
		})
		if composed != nil {
			t.Errorf("compose called without reminders: %v", composed)
		}
		for _, c := range []struct {
			now   time.Time
			after string
			limit int
			want  []string
		}{
			{t0.Add(2 * h), "", 10, []string{"FIN-1", "FIN-2", "IT-1"}}, // by ID
			{t0.Add(2 * h), "", 2, []string{"FIN-1", "FIN-2"}},
			{t0.Add(2 * h), "FIN-2", 2, []string{"IT-1"}},
			{t0.Add(h), "", 10, []string{"FIN-1", "IT-1"}}, // at or before now
			{t0.Add(h - time.Millisecond), "", 10, []string{"IT-1"}},
		} {
			if got := due(t, c.now, c.after, c.limit); !reflect.DeepEqual(got, c.want) {
				t.Errorf("RemindersDue(%v, %q, %d) = %v, want %v", c.now.Sub(t0), c.after, c.limit, got, c.want)
			}
		}
		// The requests come whole but for their text and fields, which
		// reminders do not show.
		rs, err := db.RemindersDue(ctx, t0.Add(2*h), "", 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].ID != "FIN-1" || rs[0].Title != "x" || rs[0].Dept != "finance" || rs[0].Requester != sam ||
			rs[0].Version != 1 || !rs[0].CreatedAt.Equal(t0) || rs[0].Text != "" || rs[0].Fields != nil {
			t.Errorf("RemindersDue's request: %+v; want FIN-1 as filed, without its text and fields", rs[0])
		}
		// A zero time: nothing more to remind.
		record(t, nil, []bot.NextReminder{{RequestID: "IT-1", Version: 1}})
		if got := due(t, t0.Add(2*h), "", 10); !reflect.DeepEqual(got, []string{"FIN-1", "FIN-2"}) {
			t.Errorf("after clearing IT-1: %v", got)
		}
	})

	t.Run("ExactlyOnce", func(t *testing.T) {
		rem := func(id, series string, level int) bot.Reminder {
			return bot.Reminder{RequestID: id, Series: series, Level: level, Kind: "warning", At: t0}
		}
		run := func(id, series string, level, n int) bot.Reminder {
			r := rem(id, series, level)
			r.Kind, r.Run = bot.RemindNudge, n
			return r
		}
		first := []bot.Reminder{rem("FIN-1", "first:1", 50), rem("FIN-1", "first:1", 75), rem("FIN-2", "first:1", 50)}
		for _, c := range []struct {
			name  string
			items []bot.Reminder
			want  []bot.Reminder // what compose is given; nil: not called
		}{
			{"New", first, first},
			{"Again", first, nil},
			{"LevelsOnlyGoUp", []bot.Reminder{rem("FIN-1", "first:1", 50), rem("FIN-1", "first:1", 75)}, nil},
			{"Higher", []bot.Reminder{rem("FIN-1", "first:1", 75), rem("FIN-1", "first:1", 100)}, []bot.Reminder{rem("FIN-1", "first:1", 100)}},
			{"OtherSeries", []bot.Reminder{rem("FIN-1", "resolution:1", 50), rem("FIN-2", "first:1", 50)}, []bot.Reminder{rem("FIN-1", "resolution:1", 50)}},
			{"OtherRequest", []bot.Reminder{rem("FIN-3", "first:1", 50)}, []bot.Reminder{rem("FIN-3", "first:1", 50)}},
			// A run of nudges (levels 101–105) stands for each of them;
			// later, only the part of a longer run above the level sent.
			{"Run", []bot.Reminder{run("FIN-3", "first:1", 105, 5)}, []bot.Reminder{run("FIN-3", "first:1", 105, 5)}},
			{"RunPartlySent", []bot.Reminder{run("FIN-3", "first:1", 108, 8)}, []bot.Reminder{run("FIN-3", "first:1", 108, 3)}},
			{"RunSent", []bot.Reminder{run("FIN-3", "first:1", 107, 7)}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				before, _, _ := db.OutboxStats(ctx, t0)
				record(t, c.items, nil)
				var want [][]bot.Reminder
				if c.want != nil {
					want = [][]bot.Reminder{c.want}
				}
				if !reflect.DeepEqual(composed, want) {
					t.Errorf("composed %+v, want %+v", composed, want)
				}
				after, _, _ := db.OutboxStats(ctx, t0)
				if after-before != len(c.want) {
					t.Errorf("%d messages written, want %d", after-before, len(c.want))
				}
			})
		}
	})

	t.Run("WithNext", func(t *testing.T) {
		// Reminders and next times are one transaction, and a reminder
		// recorded does not depend on its request's version.
		record(t, []bot.Reminder{{RequestID: "FIN-2", Series: "waiting:1", Level: 101, At: t0}},
			[]bot.NextReminder{{RequestID: "FIN-2", Version: 1, At: t0.Add(5 * h)}, {RequestID: "FIN-1", Version: 7, At: t0.Add(5 * h)}})
		if len(composed) != 1 || len(composed[0]) != 1 {
			t.Errorf("composed %+v", composed)
		}
		if got := due(t, t0.Add(4*h), "", 10); !reflect.DeepEqual(got, []string{"FIN-1"}) {
			t.Errorf("due at t0+4h: %v, want FIN-1 (its stale next left as it was)", got)
		}
	})
}

func TestDueBefore(t *testing.T) { eachBackend(t, testDueBefore) }

func testDueBefore(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	mustCreate(t, db, "FIN", "finance", sam, "in three hours", t0, t0.Add(3*h))
	mustCreate(t, db, "FIN", "finance", sam, "no deadline", t0, time.Time{})
	resolved := mustCreate(t, db, "FIN", "finance", sam, "resolved", t0, t0.Add(h))
	ev := bot.Event{RequestID: resolved.ID, Seq: 2, Kind: bot.EvResolved, Actor: fiona, At: t0.Add(time.Minute)}
	if err := resolved.Apply(ev); err != nil {
		t.Fatal(err)
	}
	resolved.FirstResponseDue = time.Time{} // its clocks stopped, as the desk's SetDeadlines says
	if err := db.Append(ctx, resolved, ev, nil); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, db, "IT", "it", sam, "breached", t0, t0.Add(-h))
	mustCreate(t, db, "IT", "it", sam, "in an hour", t0, t0.Add(h))
	for _, c := range []struct {
		t     time.Time
		limit int
		want  []string
	}{
		{t0.Add(3 * h), 10, []string{"IT-1", "IT-2", "FIN-1"}}, // earliest first, at or before t
		{t0.Add(3 * h), 2, []string{"IT-1", "IT-2"}},
		{t0.Add(h - time.Millisecond), 10, []string{"IT-1"}},
		{t0.Add(-2 * h), 10, nil},
	} {
		rs, err := db.DueBefore(ctx, c.t, c.limit)
		if got := requestIDs(rs); err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("DueBefore(t0%+v, %d) = %v, %v; want %v", c.t.Sub(t0), c.limit, got, err, c.want)
		}
	}
}

func TestSlackBookkeeping(t *testing.T) { eachBackend(t, testSlackBookkeeping) }

func testSlackBookkeeping(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	save := func(t *testing.T, id, kind, dest, channel, ts string) {
		t.Helper()
		if err := db.SaveSlackPost(ctx, id, kind, dest, channel, ts); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("Posts", func(t *testing.T) {
		if _, _, ok, err := db.SlackPost(ctx, "FIN-1", "card", "#finance"); ok || err != nil {
			t.Errorf("SlackPost before any = %v, %v", ok, err)
		}
		save(t, "FIN-1", "card", "#finance", "C0FIN", "1700000000.000100")
		save(t, "FIN-1", "card", "#finance", "C0FIN", "1700000000.000200") // posted again: the newer wins
		save(t, "FIN-1", "card", "#it", "C0IT", "1700000000.000300")       // the card left behind by a transfer
		ch, ts, ok, err := db.SlackPost(ctx, "FIN-1", "card", "#finance")
		if err != nil || !ok || ch != "C0FIN" || ts != "1700000000.000200" {
			t.Errorf("SlackPost = %s %s %v %v", ch, ts, ok, err)
		}
		if ch, _, ok, _ := db.SlackPost(ctx, "FIN-1", "card", "#it"); !ok || ch != "C0IT" {
			t.Errorf("the card in #it: %s %v", ch, ok)
		}
		if _, _, ok, _ := db.SlackPost(ctx, "FIN-1", "dm", "#finance"); ok {
			t.Error("a card found as a DM root")
		}
	})

	t.Run("Threads", func(t *testing.T) {
		// sam's DM thread root is also the rating prompt.
		save(t, "FIN-1", "rating", sam, "D0SAM", "1700000001.000100")
		save(t, "FIN-1", "dm", sam, "D0SAM", "1700000001.000100")
		save(t, "FIN-2", "dm", sam, "D0SAM", "1700000002.000100")
		for _, c := range []struct {
			channel, ts, id, kind string
			ok                    bool
		}{
			{"C0FIN", "1700000000.000200", "FIN-1", "card", true},
			{"D0SAM", "1700000001.000100", "FIN-1", "dm", true}, // the thread kind wins
			{"D0SAM", "1700000002.000100", "FIN-2", "dm", true},
			{"C0FIN", "1700000000.000100", "", "", false}, // the card's old ts
			{"C0OTHER", "1700000000.000200", "", "", false},
		} {
			id, kind, ok, err := db.RequestByThread(ctx, c.channel, c.ts)
			if err != nil || id != c.id || kind != c.kind || ok != c.ok {
				t.Errorf("RequestByThread(%s, %s) = %q %q %v %v; want %q %q %v", c.channel, c.ts, id, kind, ok, err, c.id, c.kind, c.ok)
			}
		}
		if id, ok, err := db.RequestByPost(ctx, "D0SAM", "1700000001.000100", "rating"); id != "FIN-1" || !ok || err != nil {
			t.Errorf("RequestByPost rating = %q %v %v", id, ok, err)
		}
		if _, ok, err := db.RequestByPost(ctx, "D0SAM", "1700000002.000100", "rating"); ok || err != nil {
			t.Errorf("RequestByPost of a DM root without a prompt = %v %v", ok, err)
		}
	})

	t.Run("FirstSeen", func(t *testing.T) {
		for i, want := range []bool{true, false, false} {
			if first, err := db.FirstSeen(ctx, "Ev0001", t0); first != want || err != nil {
				t.Errorf("FirstSeen %d = %v, %v; want %v", i, first, err, want)
			}
		}
		if first, err := db.FirstSeen(ctx, "Ev0002", t0); !first || err != nil {
			t.Errorf("another ID = %v, %v", first, err)
		}
		if n, err := store.CountRows(ctx, db, "slack_seen"); n != 2 || err != nil {
			t.Errorf("%d rows seen, %v", n, err)
		}
	})
}

func TestRequestCountsFollowChanges(t *testing.T) { eachBackend(t, testRequestCountsFollowChanges) }

func testRequestCountsFollowChanges(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	counts := func() map[string]int {
		got := map[string]int{}
		if err := db.RequestCounts(context.Background(), func(dept, state string, n int) { got[dept+"/"+state] += n }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := counts(); len(got) != 0 {
		t.Errorf("counts of an empty store: %v", got)
	}
	a := mustCreate(t, db, "FIN", "finance", sam, "a", t0, time.Time{})
	b := mustCreate(t, db, "FIN", "finance", sam, "b", t0, time.Time{})
	mustCreate(t, db, "IT", "it", sam, "c", t0, time.Time{})
	mustAct(t, db, a, bot.EvClaimed, t0.Add(time.Minute))
	mustAct(t, db, b, bot.EvResolved, t0.Add(time.Minute))
	mustAct(t, db, a, bot.EvResolved, t0.Add(2*time.Minute))
	want := map[string]int{"finance/resolved": 2, "it/open": 1}
	if got := counts(); !reflect.DeepEqual(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
}

// TestEachBounds: the export iterators take half-open periods, either end
// open when zero, and stop at the callback's first error.
func TestEachBounds(t *testing.T) { eachBackend(t, testEachBounds) }

func testEachBounds(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	for i := range 4 {
		r := mustCreate(t, db, "FIN", "finance", sam, "x", t0.Add(time.Duration(i)*h), time.Time{})
		mustAct(t, db, r, bot.EvResolved, t0.Add(time.Duration(i)*h+time.Minute))
		if err := db.RecordAsk(ctx, bot.Rating{RequestID: r.ID, Requester: sam, Dept: "finance", AskedAt: t0.Add(time.Duration(i)*h + time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	stop := errors.New("stop")
	for _, c := range []struct {
		from, to time.Time
		want     int // requests, ratings; events are twice that
	}{
		{time.Time{}, time.Time{}, 4},
		{t0.Add(h), time.Time{}, 3},
		{time.Time{}, t0.Add(h), 1},
		{t0.Add(h), t0.Add(3 * h), 2},
		{t0.Add(5 * h), time.Time{}, 0},
	} {
		var reqs, evs, rts int
		err := errors.Join(
			db.EachRequest(ctx, c.from, c.to, func(*bot.Request) error { reqs++; return nil }),
			db.EachEvent(ctx, c.from, c.to, func(bot.Event) error { evs++; return nil }),
			db.EachRating(ctx, c.from, c.to, func(bot.Rating) error { rts++; return nil }))
		if err != nil || reqs != c.want || evs != 2*c.want || rts != c.want {
			t.Errorf("[%v, %v): %d requests, %d events, %d ratings, %v; want %d, %d, %d",
				c.from, c.to, reqs, evs, rts, err, c.want, 2*c.want, c.want)
		}
	}
	n := 0
	if err := db.EachRequest(ctx, time.Time{}, time.Time{}, func(*bot.Request) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("EachRequest after an error: %d calls, %v", n, err)
	}
	n = 0
	if err := db.EachRating(ctx, time.Time{}, time.Time{}, func(bot.Rating) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("EachRating after an error: %d calls, %v", n, err)
	}
}

// TestSameMillisecondOrder: requests filed in one millisecond (a script, a
// burst) list in the same order on both engines: newest first by time,
// then by prefix and number, descending.
func TestSameMillisecondOrder(t *testing.T) { eachBackend(t, testSameMillisecondOrder) }

func testSameMillisecondOrder(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	for _, p := range []struct{ prefix, dept string }{{"FIN", "finance"}, {"IT", "it"}, {"FIN", "finance"}, {"HR", "hr"}} {
		mustCreate(t, db, p.prefix, p.dept, sam, "same instant", t0, time.Time{})
	}
	rs, err := db.Requests(context.Background(), bot.Filter{Requester: sam})
	if got, want := requestIDs(rs), []string{"IT-1", "HR-1", "FIN-2", "FIN-1"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Requests = %v, %v; want %v", got, err, want)
	}
}

// TestQueueFilteredByType: the Home's request-type filter reads the queue
// by the stored type, on both engines.
func TestQueueFilteredByType(t *testing.T) { eachBackend(t, testQueueFilteredByType) }

func testQueueFilteredByType(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	mustCreate(t, db, "FIN", "finance", sam, "untyped", t0, t0.Add(time.Hour))
	for _, f := range []bot.Filter{
		{Dept: "finance", ActiveOnly: true, Type: "reimbursement"},
		{Requester: sam, Type: "reimbursement"},
	} {
		rs, err := db.Requests(context.Background(), f)
		if err != nil || len(rs) != 0 {
			t.Errorf("Requests(%+v) = %v, %v; want none, no error", f, requestIDs(rs), err)
		}
	}
}
