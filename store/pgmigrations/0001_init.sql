-- PostgreSQL's copy of migrations/0001_init.sql: the same tables, columns
-- and indexes. Times are Unix milliseconds (BIGINT), as in SQLite. Text
-- columns use the "C" collation: they compare and sort by bytes, as in
-- SQLite, whatever collation the database was created with, so lists and
-- exports come out in the same order on both engines.

CREATE TABLE counters (
    prefix TEXT COLLATE "C" PRIMARY KEY,
    last   BIGINT NOT NULL
);

CREATE TABLE requests (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    prefix             TEXT COLLATE "C" NOT NULL,
    num                BIGINT NOT NULL,
    dept               TEXT COLLATE "C" NOT NULL,
    requester          TEXT COLLATE "C" NOT NULL,
    assignee           TEXT COLLATE "C" NOT NULL DEFAULT '',
    priority           TEXT COLLATE "C" NOT NULL,
    state              TEXT COLLATE "C" NOT NULL,
    title              TEXT COLLATE "C" NOT NULL,
    body               TEXT COLLATE "C" NOT NULL,
    source             TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    first_response_at  BIGINT,
    resolution_start   BIGINT NOT NULL,
    resolved_at        BIGINT,
    closed_at          BIGINT,
    pauses             TEXT COLLATE "C" NOT NULL DEFAULT '[]',
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
    request_id TEXT COLLATE "C" NOT NULL REFERENCES requests (id),
    seq        INTEGER NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    actor      TEXT COLLATE "C" NOT NULL,
    at         BIGINT NOT NULL,
    data       TEXT COLLATE "C" NOT NULL DEFAULT '{}',
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
