-- PostgreSQL's copy of migrations/0025_remind_index.sql: the due
-- requests' IDs read from the index alone, a batch at a time.
DROP INDEX requests_next_remind;
CREATE INDEX requests_next_remind ON requests (next_remind_at, id) WHERE next_remind_at IS NOT NULL;
