-- PostgreSQL's copy of migrations/0014_held_since.sql: when the department
-- holding a request took it (its clocks start there); NULL on requests
-- transferred before this migration, whose clocks run from filing.
ALTER TABLE requests ADD COLUMN held_since BIGINT;
UPDATE requests SET held_since = created_at WHERE transfers = 0;

CREATE INDEX events_transferred ON events (at) WHERE kind = 'transferred';
