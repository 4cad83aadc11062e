-- PostgreSQL's copy of migrations/0008_ratings.sql.
CREATE TABLE ratings (
    request_id  TEXT COLLATE "C" NOT NULL REFERENCES requests (id),
    round       INTEGER NOT NULL,
    requester   TEXT COLLATE "C" NOT NULL,
    dept        TEXT COLLATE "C" NOT NULL,
    asked_at    BIGINT NOT NULL,
    skipped     TEXT COLLATE "C" NOT NULL DEFAULT '',
    score       INTEGER,
    rated_at    BIGINT,
    comment     TEXT COLLATE "C" NOT NULL DEFAULT '',
    reminded_at BIGINT,
    PRIMARY KEY (request_id, round)
);

CREATE INDEX ratings_asked ON ratings (asked_at);
CREATE INDEX ratings_requester ON ratings (requester, asked_at);
