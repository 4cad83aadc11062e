-- PostgreSQL's copy of migrations/0012_catalog.sql: the service
-- catalogue's revisions, append-only, and the revision each request's
-- targets come from.
CREATE TABLE catalog_revisions (
    id      BIGSERIAL PRIMARY KEY,
    dept    TEXT NOT NULL,
    rev     INTEGER NOT NULL,
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    source  TEXT NOT NULL,
    reason  TEXT NOT NULL,
    body    TEXT NOT NULL,
    UNIQUE (dept, rev)
);

ALTER TABLE requests ADD COLUMN standard_rev INTEGER NOT NULL DEFAULT 0;
