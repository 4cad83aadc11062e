-- PostgreSQL's copy of migrations/0015_types.sql: a request's type, its
-- intake fields as JSON text, and whether its type was private when filed.
ALTER TABLE requests ADD COLUMN type_name TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE requests ADD COLUMN private INTEGER NOT NULL DEFAULT 0;

-- Redaction (0010) now empties an event's fields too: the one update of
-- history allowed replaces text and title by "[redacted]" and fields by
-- [] (a key the event lacks stays absent), nothing else.
CREATE OR REPLACE FUNCTION events_redact_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.request_id IS NOT DISTINCT FROM OLD.request_id AND NEW.seq IS NOT DISTINCT FROM OLD.seq
        AND NEW.kind IS NOT DISTINCT FROM OLD.kind AND NEW.actor IS NOT DISTINCT FROM OLD.actor
        AND NEW.at IS NOT DISTINCT FROM OLD.at
        AND NEW.data::jsonb = jsonb_set(jsonb_set(jsonb_set(OLD.data::jsonb, '{text}', '"[redacted]"', false),
            '{title}', '"[redacted]"', false), '{fields}', '[]', false)
        AND (SELECT redacted_at FROM requests WHERE id = OLD.request_id) IS NOT NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'events are append-only';
END $$;
