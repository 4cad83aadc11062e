-- Reminders and escalations: when a request next needs the sweep, and
-- which reminders were sent, so each is sent exactly once.
ALTER TABLE requests ADD COLUMN next_remind_at INTEGER;
CREATE INDEX requests_next_remind ON requests (next_remind_at) WHERE next_remind_at IS NOT NULL;

-- One row per series of reminders (a clock from its start, a wait, a
-- resolution): the highest step sent so far. Steps only go up, so a
-- reminder is sent once whatever restarts, overlaps or clock jumps happen.
CREATE TABLE reminders_sent (
    request_id TEXT NOT NULL,
    series     TEXT NOT NULL,     -- "first:1764000000000", "waiting:…", "close:…"
    level      INTEGER NOT NULL,  -- 50, 75: warnings; 100 breach; 101 escalation; 101+n the n-th nudge
    at         INTEGER NOT NULL,
    PRIMARY KEY (request_id, series)
) STRICT, WITHOUT ROWID;
