-- Retention: what people wrote on requests finished long ago is replaced by
-- "[redacted]" (see store/retention.go). Every row, time, state, priority
-- and score stays, so digests and reports count exactly what they did.

-- When a request's text was redacted; NULL while it is kept.
ALTER TABLE requests ADD COLUMN redacted_at INTEGER;

-- "Finished before T and not yet redacted": the daily run reads only what
-- is left to do, never the years already done.
CREATE INDEX requests_unredacted ON requests (closed_at)
    WHERE redacted_at IS NULL AND state IN ('closed', 'cancelled');

-- A request changed after its redaction (a comment on a closed request, a
-- reopening) has new text: the next run redacts it again.
CREATE TRIGGER requests_redaction_stale AFTER UPDATE OF version ON requests
    WHEN NEW.redacted_at IS NOT NULL AND NEW.version != OLD.version
BEGIN UPDATE requests SET redacted_at = NULL WHERE id = NEW.id; END;

-- History stays append-only with one exception: once its request is marked
-- redacted, an event's text and title may be replaced by "[redacted]",
-- and nothing else about it may change. Deleting stays forbidden
-- (events_no_delete, 0001).
DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    WHEN NOT (NEW.request_id IS OLD.request_id AND NEW.seq IS OLD.seq AND NEW.kind IS OLD.kind
        AND NEW.actor IS OLD.actor AND NEW.at IS OLD.at
        AND NEW.data IS json_replace(OLD.data, '$.text', '[redacted]', '$.title', '[redacted]')
        AND (SELECT redacted_at FROM requests WHERE id = OLD.request_id) IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
