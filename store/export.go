package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// Reports and exports read the ratings and the survey through these.
var (
	_ report.RatingRows    = (*DB)(nil)
	_ report.SurveyReports = (*DB)(nil)
	_ report.ExportSource  = (*DB)(nil)
)

// bounds turns an optional [from, to) into Unix milliseconds: a zero from
// is the beginning of time, a zero to the end.
func bounds(from, to time.Time) (int64, int64) {
	f, t := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		f = from.UnixMilli()
	}
	if !to.IsZero() {
		t = to.UnixMilli()
	}
	return f, t
}

// each runs q and calls scan on every row, one at a time, so that a
// million rows never sit in memory; it stops at the first error.
func (db *DB) each(ctx context.Context, what, q string, args []any, scan func(scanner) error) error {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// EachRequest calls fn with every request filed in [from, to) (zero times
// leave that end open), in order of filing, text included, reading them
// one at a time from the requests_created index. It stops at fn's first
// error and returns it.
func (db *DB) EachRequest(ctx context.Context, from, to time.Time, fn func(*bot.Request) error) error {
	f, t := bounds(from, to)
	return db.each(ctx, "export requests", `SELECT `+requestColumns+` FROM requests
		WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id`, []any{f, t}, func(s scanner) error {
		r, err := scanRequest(s)
		if err != nil {
			return fmt.Errorf("export requests: %w", err)
		}
		return fn(r)
	})
}

// EachEvent calls fn with every event that happened in [from, to) (zero
// times leave that end open), one at a time, in order of request ID and
// sequence: each request's history together, in the order of the table
// itself (events has no rowid: its key is the request and sequence). The
// unary + keeps the planner off events_at, which would cost a lookup and a
// sort per event: a scan of the table is cheaper even for a quarter. It
// stops at fn's first error and returns it.
func (db *DB) EachEvent(ctx context.Context, from, to time.Time, fn func(bot.Event) error) error {
	f, t := bounds(from, to)
	return db.each(ctx, "export events", `SELECT request_id, seq, kind, actor, at, data FROM events
		WHERE +at >= ? AND +at < ? ORDER BY request_id, seq`, []any{f, t}, func(s scanner) error {
		var ev bot.Event
		var kind, data string
		var at int64
		if err := s.Scan(&ev.RequestID, &ev.Seq, &kind, &ev.Actor, &at, &data); err != nil {
			return fmt.Errorf("export events: %w", err)
		}
		ev.Kind, ev.At = bot.EventKind(kind), time.UnixMilli(at).UTC()
		if err := decodeEventData(&ev, data); err != nil {
			return fmt.Errorf("export events: %s event %d: %w", ev.RequestID, ev.Seq, err)
		}
		return fn(ev)
	})
}

// decodeEventData fills the kind-specific fields of ev from the stored
// JSON (see eventData).
func decodeEventData(ev *bot.Event, data string) error {
	if data == "{}" { // most kinds carry nothing: skip the decoder
		return nil
	}
	var d eventData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return err
	}
	*ev = bot.Event{RequestID: ev.RequestID, Seq: ev.Seq, Kind: ev.Kind, Actor: ev.Actor, At: ev.At,
		Text: d.Text, Dept: d.Dept, FromDept: d.FromDept, Assignee: d.Assignee, Priority: bot.Priority(d.Priority),
		Title: d.Title, Source: d.Source, OriginChannel: d.OriginCh, OriginMessage: d.OriginMs, OriginThread: d.OriginTh,
		Standard: d.Standard, RequesterDept: d.ReqDept, Type: d.Type, Fields: d.Fields, Private: d.Private}
	return nil
}

// EachRating implements report.RatingRows: every ratings row (asked or
// skipped) whose prompt went out in [from, to) (zero times leave that end
// open), oldest first, one at a time from the ratings_asked index. It
// stops at fn's first error and returns it.
func (db *DB) EachRating(ctx context.Context, from, to time.Time, fn func(bot.Rating) error) error {
	f, t := bounds(from, to)
	// Whether the request is private rides along, so its comment stays out.
	return db.each(ctx, "export ratings", `SELECT `+ratingColumns+`,
		COALESCE((SELECT private FROM requests WHERE requests.id = ratings.request_id), 0) FROM ratings
		WHERE asked_at >= ? AND asked_at < ? ORDER BY asked_at, request_id, round`, []any{f, t}, func(s scanner) error {
		var private int64
		r, err := scanRating(s, &private)
		if err != nil {
			return fmt.Errorf("export ratings: %w", err)
		}
		r.Private = private != 0
		return fn(r)
	})
}
