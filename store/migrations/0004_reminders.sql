-- Reminders and escalations: when a request next needs the sweep, and
-- which reminders were sent, so each is sent exactly once.
ALTER TABLE requests ADD COLUMN next_remind_at INTEGER;
CREATE INDEX requests_next_remind ON requests (next_remind_at) WHERE next_remind_at IS NOT NULL;

CREATE TABLE reminders_sent (
    request_id TEXT NOT NULL,
    key        TEXT NOT NULL,   -- clock, its start and threshold: "first:1764000000000:75"
    at         INTEGER NOT NULL,
    PRIMARY KEY (request_id, key)
) STRICT, WITHOUT ROWID;
