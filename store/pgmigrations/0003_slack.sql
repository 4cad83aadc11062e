-- PostgreSQL's copy of migrations/0003_slack.sql.
CREATE TABLE slack_posts (
    request_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    dest       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    ts         TEXT NOT NULL,
    PRIMARY KEY (request_id, kind, dest)
);

CREATE INDEX slack_posts_thread ON slack_posts (channel, ts);

-- Deliveries already handled, shared by every replica: Slack's retries and
-- duplicate envelopes are acted on once, whichever replica gets them.
CREATE TABLE slack_seen (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL
);
