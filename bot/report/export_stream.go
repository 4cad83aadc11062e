package report

import (
	"github.com/askdesk/askdesk/bot"

	"context"
	"time"
)

// ExportSource is what an export reads, a row at a time; store.DB
// implements it. Each method calls fn with the rows in [from, to) (zero
// times leave that end open) and stops at fn's first error.
type ExportSource interface {
	EachRequest(ctx context.Context, from, to time.Time, fn func(*bot.Request) error) error
	EachEvent(ctx context.Context, from, to time.Time, fn func(bot.Event) error) error
	RatingRows
}

// ExportTables are the tables an export writes, in this order.
var ExportTables = []string{"requests", "events", "ratings"}

// ExportColumns returns a table's columns, or nil for an unknown table.
func ExportColumns(table string) []string {
	return map[string][]string{"requests": RequestColumns, "events": EventColumns, "ratings": RatingColumns}[table]
}

// Export streams one table's rows in [from, to) to w and returns how many
// it wrote; w is flushed. Reading (SQLite) and converting and writing run
// on two goroutines, handing over batches, so neither waits on the other
// and memory holds a few batches, whatever the table's size. It returns
// EINVALID for an unknown table, or the first error of either side.
func (e *Exporter) Export(ctx context.Context, src ExportSource, table string, from, to time.Time, w RecordWriter) (int, error) {
	var n int
	var err error
	switch table {
	case "requests":
		n, err = pipeline(ctx, func(ctx context.Context, fn func(*bot.Request) error) error {
			return src.EachRequest(ctx, from, to, fn)
		}, e.Request, w)
	case "events":
		n, err = pipeline(ctx, func(ctx context.Context, fn func(bot.Event) error) error {
			return src.EachEvent(ctx, from, to, fn)
		}, EventRecord, w)
	case "ratings":
		n, err = pipeline(ctx, func(ctx context.Context, fn func(bot.Rating) error) error {
			return src.EachRating(ctx, from, to, fn)
		}, e.Rating, w)
	default:
		return 0, bot.E(bot.EINVALID, "report.err.export_table", "Table", bot.Escape(table))
	}
	if err != nil {
		return n, err
	}
	return n, w.Flush()
}

// exportBatch is how many rows change hands at once: enough to make the
// hand-over cheap, few enough to keep memory flat.
const exportBatch = 1024

// pipeline runs each on its own goroutine, collecting rows into batches,
// and writes each row converted on the calling one.
func pipeline[T any](ctx context.Context, each func(context.Context, func(T) error) error, convert func(T) []any, w RecordWriter) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []T, 4)
	read := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := make([]T, 0, exportBatch)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]T, 0, exportBatch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err := each(ctx, func(v T) error {
			batch = append(batch, v)
			if len(batch) < exportBatch {
				return nil
			}
			return send()
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		read <- err
	}()
	n := 0
	var werr error
	for batch := range batches {
		for _, v := range batch {
			if werr != nil {
				break
			}
			if werr = w.Write(convert(v)); werr == nil {
				n++
			}
		}
		if werr != nil {
			cancel() // the reader stops at its next hand-over
		}
	}
	if rerr := <-read; werr == nil && rerr != nil {
		return n, rerr
	}
	return n, werr
}
