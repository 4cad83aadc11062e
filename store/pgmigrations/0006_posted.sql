-- PostgreSQL's copy of migrations/0006_posted.sql.
CREATE TABLE posted_once (
    key TEXT PRIMARY KEY,
    at  BIGINT NOT NULL
);
