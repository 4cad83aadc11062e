-- The desk's core: requests (a projection kept for queries), their
-- append-only event history, and per-prefix ID counters.

CREATE TABLE counters (
    prefix TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
) STRICT;

CREATE TABLE requests (
    id                 TEXT PRIMARY KEY,          -- FIN-42
    prefix             TEXT NOT NULL,
    num                INTEGER NOT NULL,
    dept               TEXT NOT NULL,
    requester          TEXT NOT NULL,
    assignee           TEXT NOT NULL DEFAULT '',
    priority           TEXT NOT NULL,
    state              TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    source             TEXT NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,          -- Unix milliseconds, UTC
    updated_at         INTEGER NOT NULL,
    first_response_at  INTEGER,
    resolution_start   INTEGER NOT NULL,
    resolved_at        INTEGER,
    closed_at          INTEGER,
    pauses             TEXT NOT NULL DEFAULT '[]', -- JSON [[start,end|null],…]
    reopens            INTEGER NOT NULL DEFAULT 0,
    transfers          INTEGER NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL,          -- seq of the last event
    first_response_due INTEGER,
    resolution_due     INTEGER,
    next_due           INTEGER,                   -- min of the running deadlines
    UNIQUE (prefix, num)
) STRICT;

-- "What is due before T": only requests with a running clock are indexed.
CREATE INDEX requests_next_due ON requests (next_due) WHERE next_due IS NOT NULL;
-- Queues and per-department figures.
CREATE INDEX requests_dept_state ON requests (dept, state, next_due);
-- "My requests".
CREATE INDEX requests_requester ON requests (requester, created_at);
-- "What was created / resolved in a week", for digests and reports.
CREATE INDEX requests_created ON requests (created_at);
CREATE INDEX requests_resolved ON requests (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX requests_closed ON requests (closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE events (
    request_id TEXT NOT NULL REFERENCES requests (id),
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (request_id, seq)
) STRICT, WITHOUT ROWID;

CREATE INDEX events_at ON events (at);

-- History is append-only: correcting it means appending, never rewriting.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
