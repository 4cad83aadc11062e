-- Where askdesk's Slack messages about each request live, so cards are
-- updated in place and conversations stay in one thread.
CREATE TABLE slack_posts (
    request_id TEXT NOT NULL,
    kind       TEXT NOT NULL,   -- 'card' in a channel, 'dm' the root of the requester's DM thread
    dest       TEXT NOT NULL,   -- the destination as the desk names it: a configured channel, or a user ID
    channel    TEXT NOT NULL,   -- the channel ID Slack answered with (C…, G…, D…)
    ts         TEXT NOT NULL,
    PRIMARY KEY (request_id, kind, dest)
) STRICT, WITHOUT ROWID;

-- "Which request does this thread belong to?" for replies typed in Slack.
CREATE INDEX slack_posts_thread ON slack_posts (channel, ts);

-- Deliveries already handled: Events API event IDs, Socket Mode envelope
-- IDs, messages already filed by reaction. Slack retries; we act once.
CREATE TABLE slack_seen (
    id TEXT PRIMARY KEY,
    at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
