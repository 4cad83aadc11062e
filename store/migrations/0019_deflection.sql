-- Deflection (bot/deflect.go): a requester whose question an earlier
-- resolved request already answered, and who said so instead of filing,
-- is recorded in self_served, keyed by the pending filing it settled
-- (never reused). saved_answers holds the resolved requests whose
-- resolution note a department member saved as an answer; they are shown
-- first among the similar ones.
CREATE TABLE self_served (
    pending_id  INTEGER PRIMARY KEY,
    dept        TEXT NOT NULL,
    requester   TEXT NOT NULL,
    answered_by TEXT NOT NULL,              -- the request whose answer served
    at          INTEGER NOT NULL            -- Unix milliseconds, UTC
) STRICT;
CREATE INDEX self_served_at ON self_served (at, dept);

CREATE TABLE saved_answers (
    request_id TEXT PRIMARY KEY REFERENCES requests (id),
    saved_by   TEXT NOT NULL,
    saved_at   INTEGER NOT NULL
) STRICT;
