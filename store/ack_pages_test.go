package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// The pages an /ask writes to the WAL before its reply are the single
// writer's cost per filing (docs/performance.md, "askdesk against its
// limit"). These tests count them on a fresh store, filed alone and filed
// sixteen to a group commit, so that an index or a trigger added to the hot
// tables shows up here before it shows up as a lower ceiling.

// walFrames is how many frames the WAL file at path holds: checkpoints
// are stopped, so it only grows.
func walFrames(tb testing.TB, path string) int64 {
	tb.Helper()
	st, err := os.Stat(path + "-wal")
	if err != nil {
		tb.Fatal(err)
	}
	const header, frameHeader, page = 32, 24, 4096
	return (st.Size() - header) / (frameHeader + page)
}

// openForPages opens a fresh store whose WAL nobody checkpoints.
func openForPages(tb testing.TB) (*DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "askdesk.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	db.stopCheckpoints()
	db.stopCheckpoints = func() {}
	tb.Cleanup(func() { db.Close() })
	var size int
	if err := db.write.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil || size != 4096 {
		tb.Fatalf("page size %d, %v; the frame count assumes 4096", size, err)
	}
	return db, path
}

// ackWrites is what an /ask writes before its reply, as BenchmarkAckLimit
// writes it: the replay check's row, then the request with its event, its
// search document and its card.
func ackWrites(ctx context.Context, db *DB, n int, at time.Time) error {
	if err := ackSeen(ctx, db, n, at); err != nil {
		return err
	}
	return ackFile(ctx, db, n, at)
}

func ackSeen(ctx context.Context, db *DB, n int, at time.Time) error {
	if first, err := db.FirstSeen(ctx, fmt.Sprintf("sig:v0=%064x", n), at); err != nil || !first {
		return fmt.Errorf("first seen: %v, %w", first, err)
	}
	return nil
}

func ackFile(ctx context.Context, db *DB, n int, at time.Time) error {
	depts := []struct{ prefix, name, channel string }{
		{"FIN", "finance", "#finance"}, {"IT", "it", "#it-help"}, {"HR", "hr", "#hr"}, {"FAC", "facilities", "#facilities"},
	}
	d := depts[n%len(depts)]
	text := fmt.Sprintf("load test c%d n%d: please look at this", n%16, n)
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: fmt.Sprintf("U%04d", n%500), At: at, Dept: d.name,
		Priority: bot.Normal, Title: bot.Title(text), Text: text, Source: "slash"}
	var r bot.Request
	if err := r.Apply(ev); err != nil {
		return err
	}
	r.FirstResponseDue, r.ResolutionDue = at.Add(4*time.Hour), at.Add(48*time.Hour)
	r.NextRemindAt = at.Add(2 * time.Hour)
	announce := func(r *bot.Request) []bot.Message {
		return []bot.Message{{To: d.channel, CardFor: r.ID, Change: "filed by " + bot.Mention(r.Requester)}}
	}
	return db.CreateRequest(ctx, d.prefix, &r, &ev, announce)
}

// pagesPerFiling files rounds×batch requests, batch at a time in one group
// commit (the writer is held while they queue), and returns the WAL pages
// written per filing.
func pagesPerFiling(tb testing.TB, batch, rounds int) float64 {
	db, path := openForPages(tb)
	ctx := context.Background()
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	n := 0
	// Warm up: the first filing of each department creates its counter.
	for ; n < 8; n++ {
		if err := ackWrites(ctx, db, n, at); err != nil {
			tb.Fatal(err)
		}
	}
	before := walFrames(tb, path)
	for range rounds {
		if batch == 1 {
			if err := ackWrites(ctx, db, n, at); err != nil {
				tb.Fatal(err)
			}
			n++
			continue
		}
		for _, job := range []func(context.Context, *DB, int, time.Time) error{ackSeen, ackFile} {
			grouped(tb, db, batch, func(i int) error { return job(ctx, db, n+i, at) })
		}
		n += batch
	}
	return float64(walFrames(tb, path)-before) / float64(rounds*batch)
}

// grouped runs do(0..batch-1) at once as jobs of one group commit: the
// writer is held by a job that waits until they are all queued.
func grouped(tb testing.TB, db *DB, batch int, do func(i int) error) {
	tb.Helper()
	ctx := context.Background()
	hold, held := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := db.inBatch(ctx, func(ctx context.Context, tx *sql.Tx) error {
			close(held)
			<-hold
			return nil
		}); err != nil {
			tb.Error(err)
		}
	})
	<-held
	errs := make(chan error, batch)
	for i := range batch {
		wg.Go(func() { errs <- do(i) })
	}
	for len(db.batch.jobs) < batch {
		runtime.Gosched()
	}
	close(hold)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// TestAckPagesPerFiling: an /ask writes at most so many pages, alone and
// in a group commit (23.3 and 2.0 on 2026-12-04; 24.3 and 2.1 once the
// next reminder times moved to remind_next, a table and index of their
// own; each index on the hot tables is about one page more per commit). A change that adds to these
// adds to every filing's cost: measure it against BenchmarkAckLimit and
// move the bounds with the figures in docs/performance.md.
func TestAckPagesPerFiling(t *testing.T) {
	alone := pagesPerFiling(t, 1, 20)
	grouped := pagesPerFiling(t, 16, 4)
	t.Logf("WAL pages per /ask: %.1f filed alone, %.1f filed 16 to a commit", alone, grouped)
	if alone > 25 {
		t.Errorf("an /ask filed alone wrote %.1f pages, want at most 25", alone)
	}
	if grouped > 2.5 {
		t.Errorf("an /ask filed 16 to a commit wrote %.1f pages, want at most 2.5", grouped)
	}
}
