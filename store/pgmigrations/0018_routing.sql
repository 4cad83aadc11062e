-- PostgreSQL's copy of migrations/0018_routing.sql: pending filings and
-- the indexes of routing's history.
CREATE TABLE pending_filings (
    id         BIGSERIAL PRIMARY KEY,
    requester  TEXT COLLATE "C" NOT NULL,
    priority   TEXT COLLATE "C" NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX pending_filings_created ON pending_filings (created_at);

CREATE INDEX requests_dept_resolved ON requests (dept, resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX requests_routed ON requests (dept, created_at) WHERE source = 'routed';
