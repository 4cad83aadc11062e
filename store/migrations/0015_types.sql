-- Request types (bot/reqtype.go): the type a request was filed as ('' for a
-- department without types), its intake fields as JSON
-- [{"name":…,"value":…},…], and whether the type was private when it was
-- filed (1: its text and fields stay out of channels, digests and exports).
ALTER TABLE requests ADD COLUMN type_name TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE requests ADD COLUMN private INTEGER NOT NULL DEFAULT 0;

-- Redaction (0010) now empties an event's fields too: the one update of
-- history the trigger allows replaces text and title by "[redacted]" and
-- fields by [] (a key the event lacks stays absent), nothing else.
DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    WHEN NOT (NEW.request_id IS OLD.request_id AND NEW.seq IS OLD.seq AND NEW.kind IS OLD.kind
        AND NEW.actor IS OLD.actor AND NEW.at IS OLD.at
        AND NEW.data IS json_replace(OLD.data, '$.text', '[redacted]', '$.title', '[redacted]', '$.fields', json('[]'))
        AND (SELECT redacted_at FROM requests WHERE id = OLD.request_id) IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
