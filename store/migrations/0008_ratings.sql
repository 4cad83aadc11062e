-- Satisfaction: one row per request and resolution round (a reopening and a
-- new resolution ask again), created when the prompt is sent, or when it is
-- skipped (fatigue, sampling) so response rates count it as not asked.
CREATE TABLE ratings (
    request_id  TEXT NOT NULL REFERENCES requests (id),
    round       INTEGER NOT NULL,          -- requests.reopens at the resolution
    requester   TEXT NOT NULL,
    dept        TEXT NOT NULL,             -- the serving department
    asked_at    INTEGER NOT NULL,
    skipped     TEXT NOT NULL DEFAULT '',  -- why not asked: 'fatigue', 'sampling'; '' when asked
    score       INTEGER,                   -- 1..5; NULL: not rated (or withdrawn)
    rated_at    INTEGER,
    comment     TEXT NOT NULL DEFAULT '',
    reminded_at INTEGER,
    PRIMARY KEY (request_id, round)
) STRICT;

CREATE INDEX ratings_asked ON ratings (asked_at);
CREATE INDEX ratings_requester ON ratings (requester, asked_at);
