-- PostgreSQL's copy of migrations/0009_surveys.sql.
CREATE TABLE surveys (
    quarter     TEXT COLLATE "C" NOT NULL,
    requester   TEXT COLLATE "C" NOT NULL,
    dept        TEXT COLLATE "C" NOT NULL,
    asked_at    BIGINT NOT NULL,
    score       INTEGER,
    comment     TEXT COLLATE "C" NOT NULL DEFAULT '',
    answered_at BIGINT,
    PRIMARY KEY (quarter, requester, dept)
);
