-- PostgreSQL's copy of migrations/0001_init.sql: the same tables, columns
-- and indexes. Times are Unix milliseconds (BIGINT), as in SQLite.

CREATE TABLE counters (
    prefix TEXT PRIMARY KEY,
    last   BIGINT NOT NULL
);

CREATE TABLE requests (
    id                 TEXT PRIMARY KEY,
    prefix             TEXT NOT NULL,
    num                BIGINT NOT NULL,
    dept               TEXT NOT NULL,
    requester          TEXT NOT NULL,
    assignee           TEXT NOT NULL DEFAULT '',
    priority           TEXT NOT NULL,
    state              TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    source             TEXT NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    first_response_at  BIGINT,
    resolution_start   BIGINT NOT NULL,
    resolved_at        BIGINT,
    closed_at          BIGINT,
    pauses             TEXT NOT NULL DEFAULT '[]',
    reopens            INTEGER NOT NULL DEFAULT 0,
    transfers          INTEGER NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL,
    first_response_due BIGINT,
    resolution_due     BIGINT,
    next_due           BIGINT,
    UNIQUE (prefix, num)
);

CREATE INDEX requests_next_due ON requests (next_due) WHERE next_due IS NOT NULL;
CREATE INDEX requests_dept_state ON requests (dept, state, next_due);
CREATE INDEX requests_requester ON requests (requester, created_at);
CREATE INDEX requests_created ON requests (created_at);
CREATE INDEX requests_resolved ON requests (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX requests_closed ON requests (closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE events (
    request_id TEXT NOT NULL REFERENCES requests (id),
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         BIGINT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (request_id, seq)
);

CREATE INDEX events_at ON events (at);

-- History is append-only: correcting it means appending, never rewriting.
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
