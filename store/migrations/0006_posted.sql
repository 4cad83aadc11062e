-- Messages that must go out once per period, like a department's weekly
-- digest: the key ("digest:finance:2026-W47") is recorded in the same
-- transaction that writes the message to the outbox.
CREATE TABLE posted_once (
    key TEXT PRIMARY KEY,
    at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
