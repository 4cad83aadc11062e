package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/store"
)

// TestPendingFilings: a pending filing is taken once; put back, it can be
// taken again; IDs are never reused (a stale button must not name another
// text); those older than bot.PendingFilingTTL go when a new one is saved.
func TestPendingFilings(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		a := &bot.PendingFiling{Requester: "U1", Priority: bot.Urgent, Text: "my laptop is broken", CreatedAt: t0}
		if err := db.SavePendingFiling(ctx, a); err != nil || a.ID == 0 {
			t.Fatalf("save: %v, id %d", err, a.ID)
		}
		got, err := db.TakePendingFiling(ctx, a.ID)
		if err != nil || *got != *a {
			t.Fatalf("take: %+v, %v; want %+v", got, err, a)
		}
		if _, err := db.TakePendingFiling(ctx, a.ID); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Fatalf("second take: %v, want ENOTFOUND", err)
		}
		if err := db.PutBackPendingFiling(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got, err := db.TakePendingFiling(ctx, a.ID); err != nil || got.Text != a.Text {
			t.Fatalf("take after put back: %+v, %v", got, err)
		}
		b := &bot.PendingFiling{Requester: "U1", Text: "another", CreatedAt: t0}
		if err := db.SavePendingFiling(ctx, b); err != nil || b.ID <= a.ID {
			t.Fatalf("save after take: %v, id %d reuses or precedes %d", err, b.ID, a.ID)
		}
		c := &bot.PendingFiling{Requester: "U2", Text: "much later", CreatedAt: t0.Add(bot.PendingFilingTTL + time.Minute)}
		if err := db.SavePendingFiling(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TakePendingFiling(ctx, b.ID); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("an expired pending filing survived: %v", err)
		}
	})
}

// TestRoutingHistory: a department's history is what was routed to it
// and what it resolved, newest first, limited.
func TestRoutingHistory(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		clock := bot.NewManualClock(t0)
		desk := bot.New(bottest.Directory(t), db, &bottest.Recorder{}, clock, nil)
		file := func(text, source string) *bot.Request {
			r, err := desk.File(ctx, bot.Filing{Requester: bottest.Sam, Dept: "finance", Text: text, Source: source})
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Minute)
			return r
		}
		resolved := file("resolved budget", "slash")
		file("open and not routed", "slash")
		file("routed invoice", "routed")
		if _, err := desk.Do(ctx, bot.Act{Actor: bottest.Fiona, Action: bot.ActResolve, ID: resolved.ID, Text: "done"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.RoutingHistory(ctx, "finance", 10)
		if want := []string{"routed invoice", "resolved budget"}; err != nil || !slices.Equal(got, want) {
			t.Errorf("history %q, %v; want %q", got, err, want)
		}
		if got, _ := db.RoutingHistory(ctx, "finance", 1); len(got) != 1 {
			t.Errorf("limit 1: %q", got)
		}
		if got, _ := db.RoutingHistory(ctx, "it", 10); len(got) != 0 {
			t.Errorf("it's history: %q", got)
		}
	})
}

// TestPendingFilings_FormKeptWhole: a form's filing kept as a pending
// filing comes back whole (department, type, fields, source, origin),
// also after being put back; a typed one comes back without a form.
func TestPendingFilings_FormKeptWhole(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		form := &bot.Filing{Requester: "U1", Dept: "finance", Priority: bot.Low, Text: "lunch with the client\nit was €42",
			Source: "shortcut", Type: "reimbursement", Fields: map[string]string{"amount": "42.50", "category": "meals"},
			OriginChannel: "C1", OriginMessage: "1.2", OriginThread: "1.0"}
		p := &bot.PendingFiling{Requester: "U1", Priority: bot.Low, Text: form.Text, CreatedAt: t0, Form: form}
		if err := db.SavePendingFiling(ctx, p); err != nil {
			t.Fatal(err)
		}
		check := func(what string) *bot.PendingFiling {
			t.Helper()
			got, err := db.TakePendingFiling(ctx, p.ID)
			if err != nil || got.Form == nil {
				t.Fatalf("%s: %+v, %v", what, got, err)
			}
			g := *got.Form
			if g.Dept != form.Dept || g.Type != form.Type || g.Source != form.Source || g.Requester != form.Requester ||
				g.Priority != form.Priority || g.Text != form.Text || g.OriginChannel != "C1" || g.OriginMessage != "1.2" ||
				g.OriginThread != "1.0" || len(g.Fields) != 2 || g.Fields["amount"] != "42.50" || g.Fields["category"] != "meals" {
				t.Errorf("%s: form %+v, want %+v", what, g, *form)
			}
			return got
		}
		got := check("take")
		if err := db.PutBackPendingFiling(ctx, got); err != nil {
			t.Fatal(err)
		}
		check("take after put back")
		typed := &bot.PendingFiling{Requester: "U1", Text: "typed", CreatedAt: t0}
		if err := db.SavePendingFiling(ctx, typed); err != nil {
			t.Fatal(err)
		}
		if got, err := db.TakePendingFiling(ctx, typed.ID); err != nil || got.Form != nil {
			t.Errorf("typed: %+v, %v; want no form", got, err)
		}
	})
}
