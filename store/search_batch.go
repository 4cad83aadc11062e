package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A new request's search document is written once per group commit, for
// all the requests the commit files, in one statement.
//
// FTS5 writes the terms it holds in memory out to a new segment of its
// index at the end of every statement inside a transaction (and at every
// SAVEPOINT and RELEASE), so each filing of a group commit, under its own
// savepoint, made a segment of its own, merged again later: a tenth of the
// CPU of the ack path's limit (docs/performance.md). Written together, the
// documents of a commit make one segment. They are still written in the
// transaction that files the requests, before its commit: an acknowledged
// request can be found, after kill -9 too.

// pendingDocs are the search documents of the requests filed by the jobs
// of one group commit so far, not yet written.
type pendingDocs struct {
	docs []searchDoc
}

// searchDoc is the search_docs row of a new request.
type searchDoc struct {
	requestID, dept, requester, state string
	private                           int
	createdAt                         int64
	title, body                       string
}

// grams is the document's Han as the index keeps it (search_grams.go).
func (d searchDoc) grams() string { return searchGrams(d.title, d.body) }

type pendingDocsKey struct{}

// withPendingDocs is ctx carrying the commit's pending documents to its
// jobs.
func withPendingDocs(ctx context.Context, p *pendingDocs) context.Context {
	return context.WithValue(ctx, pendingDocsKey{}, p)
}

// pendingDocsOf returns the documents pending in ctx's group commit, or
// nil outside one (PostgreSQL, or a transaction of its own).
func pendingDocsOf(ctx context.Context) *pendingDocs {
	p, _ := ctx.Value(pendingDocsKey{}).(*pendingDocs)
	return p
}

// write inserts the pending documents in tx, in one statement, and
// forgets them.
func (p *pendingDocs) write(ctx context.Context, db *DB, tx *sql.Tx) error {
	if len(p.docs) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO search_docs (request_id, dept, requester, state, private, created_at, title, body, notes, grams) VALUES `)
	args := make([]any, 0, 9*len(p.docs))
	for i, d := range p.docs {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, '', ?)`)
		args = append(args, d.requestID, d.dept, d.requester, d.state, d.private, d.createdAt, d.title, d.body, d.grams())
	}
	// Prepared once for each number of documents (at most maxBatch).
	if _, err := db.txExec(ctx, tx, q.String(), args...); err != nil {
		return fmt.Errorf("index %d new requests for search: %w", len(p.docs), err)
	}
	p.docs = p.docs[:0]
	return nil
}
