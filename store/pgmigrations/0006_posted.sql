-- PostgreSQL's copy of migrations/0006_posted.sql.
CREATE TABLE posted_once (
    key TEXT COLLATE "C" PRIMARY KEY,
    at  BIGINT NOT NULL
);
