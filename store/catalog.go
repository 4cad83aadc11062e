package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// CatalogRevisions returns the service catalogue's revisions of dept ("":
// every department's), in the order they were published.
func (db *DB) CatalogRevisions(ctx context.Context, dept string) ([]bot.StandardRevision, error) {
	q := `SELECT id, dept, rev, at, actor, source, reason, body FROM catalog_revisions`
	var args []any
	if dept != "" {
		q, args = q+` WHERE dept = ?`, append(args, dept)
	}
	var out []bot.StandardRevision
	err := db.each(ctx, "catalogue", q+` ORDER BY id`, args, func(s scanner) error {
		var r bot.StandardRevision
		var at int64
		if err := s.Scan(&r.ID, &r.Dept, &r.Rev, &at, &r.Actor, &r.Source, &r.Reason, &r.Body); err != nil {
			return err
		}
		r.At = time.UnixMilli(at).UTC()
		out = append(out, r)
		return nil
	})
	return out, err
}

// CatalogHead returns the ID of the catalogue's latest revision (0 when it
// is empty): replicas compare it to see whether a standard changed.
func (db *DB) CatalogHead(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	if err := db.readQueryRow(ctx, `SELECT max(id) FROM catalog_revisions`).Scan(&id); err != nil {
		return 0, fmt.Errorf("catalogue head: %w", err)
	}
	return id.Int64, nil
}

// PublishStandards appends revisions to the catalogue in one transaction,
// with msgs (the announcements) queued in it. Each revision's Rev must be
// its department's latest plus one: when another edit came first, nothing
// is written and the error is ECONFLICT. IDs are filled in.
func (db *DB) PublishStandards(ctx context.Context, revs []bot.StandardRevision, msgs []bot.Message) (err error) {
	defer func() { err = db.explain(err, "the standard was not saved") }()
	ids := make([]int64, len(revs))
	err = db.inBatch(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i, r := range revs {
			var last sql.NullInt64
			if err := db.txQueryRow(ctx, tx, `SELECT max(rev) FROM catalog_revisions WHERE dept = ?`, r.Dept).Scan(&last); err != nil {
				return fmt.Errorf("publish %s's standard: %w", r.Dept, err)
			}
			if int(last.Int64)+1 != r.Rev {
				return bot.Errorf(bot.ECONFLICT, "%s's standard was changed by someone else a moment ago (now revision %d); look at it again and retry.", r.Dept, last.Int64)
			}
			if err := db.txQueryRow(ctx, tx, `INSERT INTO catalog_revisions (dept, rev, at, actor, source, reason, body)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.Dept, r.Rev, r.At.UnixMilli(), r.Actor, r.Source, r.Reason, r.Body).Scan(&ids[i]); err != nil {
				return fmt.Errorf("publish %s's standard: %w", r.Dept, err)
			}
		}
		if len(msgs) > 0 {
			if err := db.enqueue(ctx, tx, msgs, revs[0].At); err != nil {
				return fmt.Errorf("publish standards: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range revs {
		revs[i].ID = ids[i]
	}
	return nil
}
