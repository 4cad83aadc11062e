-- When the reminder sweep next looks at each request, in a narrow table of
-- its own instead of a column of the wide requests row: a sweep with
-- thousands of requests due reads their times and sets the next ones, and
-- each of those writes dirtied a page of requests (a few rows to a page,
-- scattered over the whole table) where here a page holds a hundred rows.
-- A row exists only while a reminder is to come; version is the request's
-- version when its time was set, which the sweep checks so that it never
-- overwrites a time set by a change made while it worked (store/reminders.go).
--
-- The old index goes first, so that the new table takes its page: a fresh
-- database keeps no free page, which a write could use where the file
-- cannot grow (store/health_test.go fills it to its limit).
DROP INDEX requests_next_remind;

CREATE TABLE remind_next (
    request_id TEXT PRIMARY KEY REFERENCES requests (id),
    version    INTEGER NOT NULL,
    at         INTEGER NOT NULL               -- Unix milliseconds, UTC
) STRICT, WITHOUT ROWID;
CREATE INDEX remind_next_at ON remind_next (at);

INSERT INTO remind_next (request_id, version, at)
    SELECT id, version, next_remind_at FROM requests WHERE next_remind_at IS NOT NULL;

ALTER TABLE requests DROP COLUMN next_remind_at;
