-- PostgreSQL's copy of migrations/0010_retention.sql: redaction of text of
-- requests finished long ago (see store/retention.go).
ALTER TABLE requests ADD COLUMN redacted_at BIGINT;

CREATE INDEX requests_unredacted ON requests (closed_at)
    WHERE redacted_at IS NULL AND state IN ('closed', 'cancelled');

-- A request changed after its redaction has new text: the next run
-- redacts it again.
CREATE FUNCTION requests_redaction_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.redacted_at IS NOT NULL AND NEW.version <> OLD.version THEN
        NEW.redacted_at := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER requests_redaction_stale BEFORE UPDATE OF version ON requests
    FOR EACH ROW EXECUTE FUNCTION requests_redaction_stale();

-- History stays append-only with one exception: once its request is
-- marked redacted, an event's text and title may be replaced by
-- "[redacted]", and nothing else about it may change.
DROP TRIGGER events_no_update ON events;
CREATE FUNCTION events_redact_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.request_id IS NOT DISTINCT FROM OLD.request_id AND NEW.seq IS NOT DISTINCT FROM OLD.seq
        AND NEW.kind IS NOT DISTINCT FROM OLD.kind AND NEW.actor IS NOT DISTINCT FROM OLD.actor
        AND NEW.at IS NOT DISTINCT FROM OLD.at
        AND NEW.data::jsonb = jsonb_set(jsonb_set(OLD.data::jsonb, '{text}', '"[redacted]"', false), '{title}', '"[redacted]"', false)
        AND (SELECT redacted_at FROM requests WHERE id = OLD.request_id) IS NOT NULL THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'events are append-only';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_redact_only();
