-- PostgreSQL's copy of migrations/0019_deflection.sql: questions answered
-- by earlier answers, and saved answers.
CREATE TABLE self_served (
    pending_id  BIGINT PRIMARY KEY,
    dept        TEXT COLLATE "C" NOT NULL,
    requester   TEXT COLLATE "C" NOT NULL,
    answered_by TEXT COLLATE "C" NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX self_served_at ON self_served (at, dept);

CREATE TABLE saved_answers (
    request_id TEXT COLLATE "C" PRIMARY KEY REFERENCES requests (id),
    saved_by   TEXT COLLATE "C" NOT NULL,
    saved_at   BIGINT NOT NULL
);
