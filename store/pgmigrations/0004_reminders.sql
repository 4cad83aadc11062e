-- PostgreSQL's copy of migrations/0004_reminders.sql.
ALTER TABLE requests ADD COLUMN next_remind_at BIGINT;
CREATE INDEX requests_next_remind ON requests (next_remind_at) WHERE next_remind_at IS NOT NULL;

CREATE TABLE reminders_sent (
    request_id TEXT COLLATE "C" NOT NULL,
    series     TEXT COLLATE "C" NOT NULL,
    level      INTEGER NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (request_id, series)
);
