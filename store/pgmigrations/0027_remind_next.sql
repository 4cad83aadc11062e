-- PostgreSQL's copy of migrations/0027_remind_next.sql: when the sweep next
-- looks at each request, in a narrow table of its own.
DROP INDEX requests_next_remind;

CREATE TABLE remind_next (
    request_id TEXT COLLATE "C" PRIMARY KEY REFERENCES requests (id),
    version    INTEGER NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX remind_next_at ON remind_next (at, request_id);

INSERT INTO remind_next (request_id, version, at)
    SELECT id, version, next_remind_at FROM requests WHERE next_remind_at IS NOT NULL;

ALTER TABLE requests DROP COLUMN next_remind_at;
