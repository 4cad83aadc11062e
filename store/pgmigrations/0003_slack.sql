-- PostgreSQL's copy of migrations/0003_slack.sql.
CREATE TABLE slack_posts (
    request_id TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    dest       TEXT COLLATE "C" NOT NULL,
    channel    TEXT COLLATE "C" NOT NULL,
    ts         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (request_id, kind, dest)
);

CREATE INDEX slack_posts_thread ON slack_posts (channel, ts);

-- Deliveries already handled, shared by every replica: Slack's retries and
-- duplicate envelopes are acted on once, whichever replica gets them.
CREATE TABLE slack_seen (
    id TEXT COLLATE "C" PRIMARY KEY,
    at BIGINT NOT NULL
);
