-- PostgreSQL's copy of migrations/0009_surveys.sql.
CREATE TABLE surveys (
    quarter     TEXT NOT NULL,
    requester   TEXT NOT NULL,
    dept        TEXT NOT NULL,
    asked_at    BIGINT NOT NULL,
    score       INTEGER,
    comment     TEXT NOT NULL DEFAULT '',
    answered_at BIGINT,
    PRIMARY KEY (quarter, requester, dept)
);
