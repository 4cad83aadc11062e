-- PostgreSQL's copy of migrations/0026_report_rollups.sql: the counts
-- kept per department and time bucket, the parts' new columns and indexes,
-- and the ratings' marks (see there).
CREATE TABLE report_cells (
    dept   TEXT NOT NULL,
    level  INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    cell   BYTEA NOT NULL,
    PRIMARY KEY (dept, level, kind, bucket)
);

CREATE TABLE report_rollup_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    ready INTEGER NOT NULL
);

ALTER TABLE report_parts ADD COLUMN apart INTEGER NOT NULL DEFAULT 1;
ALTER TABLE report_parts ADD COLUMN last_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX report_parts_apart ON report_parts (dept) WHERE apart = 1;
CREATE INDEX report_parts_last ON report_parts (dept, last_at);
CREATE INDEX report_parts_start ON report_parts (dept, start_at, end_key);
CREATE INDEX report_parts_long ON report_parts (dept, end_key) WHERE end_key - start_at >= 2592000000;

CREATE FUNCTION report_stale_rating() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rid TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        rid := OLD.request_id;
    ELSE
        rid := NEW.request_id;
    END IF;
    INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests WHERE id = rid
        ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER report_stale_rating_ai AFTER INSERT ON ratings
    FOR EACH ROW EXECUTE FUNCTION report_stale_rating();
CREATE TRIGGER report_stale_rating_au AFTER UPDATE OF score, dept, asked_at ON ratings
    FOR EACH ROW EXECUTE FUNCTION report_stale_rating();
CREATE TRIGGER report_stale_rating_ad AFTER DELETE ON ratings
    FOR EACH ROW EXECUTE FUNCTION report_stale_rating();

DELETE FROM report_parts;
DELETE FROM report_standards;
INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests
    ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1;
INSERT INTO report_rollup_state (id, ready) VALUES (1, 0);
