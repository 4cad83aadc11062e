-- PostgreSQL's copy of migrations/0008_ratings.sql.
CREATE TABLE ratings (
    request_id  TEXT NOT NULL REFERENCES requests (id),
    round       INTEGER NOT NULL,
    requester   TEXT NOT NULL,
    dept        TEXT NOT NULL,
    asked_at    BIGINT NOT NULL,
    skipped     TEXT NOT NULL DEFAULT '',
    score       INTEGER,
    rated_at    BIGINT,
    comment     TEXT NOT NULL DEFAULT '',
    reminded_at BIGINT,
    PRIMARY KEY (request_id, round)
);

CREATE INDEX ratings_asked ON ratings (asked_at);
CREATE INDEX ratings_requester ON ratings (requester, asked_at);
