package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// TestRequestTypeStored: a request's type, fields and privacy are stored
// with it and in its creation event, read back alike from Request,
// Requests, Events and the export, and kept by later changes.
func TestRequestTypeStored(t *testing.T) { eachBackend(t, testRequestTypeStored) }

func testRequestTypeStored(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	fields := []bot.FieldValue{{Name: "amount", Value: "42.50"}, {Name: "purpose", Value: "client lunch \"Q3\" 财务"}}
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: sam, At: t0, Dept: "hr", Priority: bot.Normal,
		Title: "grievance", Text: "grievance", Type: "grievance", Fields: fields, Private: true}
	var r bot.Request
	if err := r.Apply(ev); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRequest(ctx, "HR", &r, &ev, nil); err != nil {
		t.Fatal(err)
	}
	got, err := db.Request(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != "grievance" || !got.Private || !reflect.DeepEqual(got.Fields, fields) {
		t.Errorf("stored request: type %q private %v fields %+v", got.Type, got.Private, got.Fields)
	}
	// A later change keeps them, and its event is marked private too.
	next := *got
	ev2 := bot.Event{RequestID: r.ID, Seq: 2, Kind: bot.EvClaimed, Actor: "U0FRANK01", Assignee: "U0FRANK01", At: t0.Add(time.Minute), Private: true}
	if err := next.Apply(ev2); err != nil {
		t.Fatal(err)
	}
	if err := db.Append(ctx, &next, ev2, nil); err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	rebuilt, err := bot.Rebuild(evs)
	if err != nil {
		t.Fatal(err)
	}
	if rebuilt.Type != "grievance" || !rebuilt.Private || !reflect.DeepEqual(rebuilt.Fields, fields) || !evs[1].Private {
		t.Errorf("rebuilt from events: type %q private %v fields %+v; claim event private %v", rebuilt.Type, rebuilt.Private, rebuilt.Fields, evs[1].Private)
	}
	list, err := db.Requests(ctx, bot.Filter{Requester: sam})
	if err != nil || len(list) != 1 || list[0].Type != "grievance" || list[0].Version != 2 || !reflect.DeepEqual(list[0].Fields, fields) {
		t.Errorf("Requests = %+v, %v", list, err)
	}
	var exported *bot.Request
	if err := db.EachRequest(ctx, time.Time{}, time.Time{}, func(r *bot.Request) error { exported = r; return nil }); err != nil {
		t.Fatal(err)
	}
	if exported == nil || !exported.Private || !reflect.DeepEqual(exported.Fields, fields) {
		t.Errorf("EachRequest = %+v", exported)
	}

	// A request filed before types existed reads as having none.
	plain := mustCreate(t, db, "FIN", "finance", sam, "no type", t0, time.Time{})
	if p, err := db.Request(ctx, plain.ID); err != nil || p.Type != "" || p.Private || p.Fields != nil {
		t.Errorf("untyped request = %+v, %v", p, err)
	}
}

// TestRedactEmptiesFields: retention's redaction empties the fields of a
// request and of its creation event, as it replaces their text.
func TestRedactEmptiesFields(t *testing.T) { eachBackend(t, testRedactEmptiesFields) }

func testRedactEmptiesFields(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: sam, At: t0, Dept: "finance", Priority: bot.Normal,
		Title: "lunch", Text: "lunch", Type: "reimbursement", Fields: []bot.FieldValue{{Name: "amount", Value: "42.50"}}}
	var r bot.Request
	if err := r.Apply(ev); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRequest(ctx, "FIN", &r, &ev, nil); err != nil {
		t.Fatal(err)
	}
	for i, k := range []bot.EventKind{bot.EvResolved, bot.EvClosed} {
		next := r
		e := bot.Event{RequestID: r.ID, Seq: r.Version + 1, Kind: k, Actor: sam, At: t0.Add(time.Duration(i+1) * time.Hour)}
		if err := next.Apply(e); err != nil {
			t.Fatal(err)
		}
		if err := db.Append(ctx, &next, e, nil); err != nil {
			t.Fatal(err)
		}
		r = next
	}
	if _, err := db.Redact(ctx, t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := db.Request(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Fields) != 0 || len(evs[0].Fields) != 0 || evs[0].Text != store.Redacted {
		t.Errorf("after redaction: request fields %+v, event fields %+v, text %q", got.Fields, evs[0].Fields, evs[0].Text)
	}
}
