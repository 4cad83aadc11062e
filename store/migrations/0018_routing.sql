-- Routing (bot/routing.go): free text typed without a department waits
-- here until its requester picks one, and the queries that read each
-- department's history (what it resolved, what was routed to it) have
-- indexes of their own.
CREATE TABLE pending_filings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: a stale button must not name another text
    requester  TEXT NOT NULL,
    priority   TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL              -- Unix milliseconds, UTC
) STRICT;
CREATE INDEX pending_filings_created ON pending_filings (created_at);

CREATE INDEX requests_dept_resolved ON requests (dept, resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX requests_routed ON requests (dept, created_at) WHERE source = 'routed';
