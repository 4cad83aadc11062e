package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// eventData is the part of an event that varies by kind, stored as JSON so
// new kinds need no migration.
type eventData struct {
	Text     string `json:"text,omitempty"`
	Dept     string `json:"dept,omitempty"`
	FromDept string `json:"from_dept,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	Priority string `json:"priority,omitempty"`
	Title    string `json:"title,omitempty"`
	Source   string `json:"source,omitempty"`
	OriginCh string `json:"origin_channel,omitempty"`
	OriginMs string `json:"origin_message,omitempty"`
	OriginTh string `json:"origin_thread,omitempty"`
	Standard int    `json:"standard,omitempty"`
	ReqDept  string `json:"requester_dept,omitempty"`
	// Type and Fields: a creation's request type and intake fields;
	// Private: every event of a private request (bot.Event.Private).
	Type    string           `json:"type,omitempty"`
	Fields  []bot.FieldValue `json:"fields,omitempty"`
	Private bool             `json:"private,omitempty"`
}

func (db *DB) insertEvent(ctx context.Context, tx *sql.Tx, ev bot.Event) error {
	data, err := json.Marshal(eventData{Text: ev.Text, Dept: ev.Dept, FromDept: ev.FromDept,
		Assignee: ev.Assignee, Priority: string(ev.Priority), Title: ev.Title, Source: ev.Source,
		OriginCh: ev.OriginChannel, OriginMs: ev.OriginMessage, OriginTh: ev.OriginThread, Standard: ev.Standard, ReqDept: ev.RequesterDept,
		Type: ev.Type, Fields: ev.Fields, Private: ev.Private})
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	_, err = db.txExec(ctx, tx, `INSERT INTO events (request_id, seq, kind, actor, at, data)
		VALUES (?, ?, ?, ?, ?, ?)`, ev.RequestID, ev.Seq, string(ev.Kind), ev.Actor, ev.At.UnixMilli(), string(data))
	if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	return nil
}

// Events implements bot.Store.
func (db *DB) Events(ctx context.Context, id string) ([]bot.Event, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT request_id, seq, kind, actor, at, data
		FROM events WHERE request_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", id, err)
	}
	defer rows.Close()
	var out []bot.Event
	for rows.Next() {
		var ev bot.Event
		var kind, data string
		var at int64
		if err := rows.Scan(&ev.RequestID, &ev.Seq, &kind, &ev.Actor, &at, &data); err != nil {
			return nil, fmt.Errorf("events of %s: %w", id, err)
		}
		ev.Kind, ev.At = bot.EventKind(kind), time.UnixMilli(at).UTC()
		if err := decodeEventData(&ev, data); err != nil {
			return nil, fmt.Errorf("events of %s: decode event %d: %w", id, ev.Seq, err)
		}
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events of %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, bot.E(bot.ENOTFOUND, "err.no_request", "ID", id)
	}
	return out, nil
}

// HistoriesOf implements report.Rollups: the events of ids (each once,
// however often named), 500 requests a statement, each request's in
// order; requests with none are left out.
func (db *DB) HistoriesOf(ctx context.Context, ids []string) (map[string][]bot.Event, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[string][]bot.Event, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if err := db.historiesOf(ctx, ids[:n], out); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

func (db *DB) historiesOf(ctx context.Context, ids []string, out map[string][]bot.Event) error {
	rows, err := db.read.QueryContext(ctx, `SELECT request_id, seq, kind, actor, at, data
		FROM events WHERE request_id IN (`+placeholders(len(ids))+`) ORDER BY request_id, seq`, strs(ids)...)
	if err != nil {
		return fmt.Errorf("events of requests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ev bot.Event
		var kind, data string
		var at int64
		if err := rows.Scan(&ev.RequestID, &ev.Seq, &kind, &ev.Actor, &at, &data); err != nil {
			return fmt.Errorf("events of requests: %w", err)
		}
		ev.Kind, ev.At = bot.EventKind(kind), time.UnixMilli(at).UTC()
		if err := decodeEventData(&ev, data); err != nil {
			return fmt.Errorf("events of %s: decode event %d: %w", ev.RequestID, ev.Seq, err)
		}
		out[ev.RequestID] = append(out[ev.RequestID], ev)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("events of requests: %w", err)
	}
	return nil
}
