-- The sweep reads the requests with a reminder due a batch at a time, in
-- ID order (store/reminders.go): with the ID in the index, each batch's
-- IDs are picked from the index alone, and only the batch's rows are read,
-- instead of every due row for every batch.
DROP INDEX requests_next_remind;
CREATE INDEX requests_next_remind ON requests (next_remind_at, id) WHERE next_remind_at IS NOT NULL;
