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

-- Every part is worked out again (they now carry their ratings' verdict):
-- emptied before the new indexes, which are then built on no rows.
DELETE FROM report_parts;

ALTER TABLE report_parts ADD COLUMN apart INTEGER NOT NULL DEFAULT 1;
ALTER TABLE report_parts ADD COLUMN last_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX report_parts_apart ON report_parts (dept) WHERE apart = 1;
CREATE INDEX report_parts_last ON report_parts (dept, last_at);
CREATE INDEX report_parts_start ON report_parts (dept, start_at, end_key);
CREATE INDEX report_parts_long ON report_parts (dept, end_key) WHERE end_key - start_at >= 604800000;

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

DELETE FROM report_standards;
INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests
    ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1;
-- No parts, no cells: they agree, and the cells are kept from the first
-- part worked out on, a short transaction at a time.
INSERT INTO report_rollup_state (id, ready) VALUES (1, 1);

CREATE TABLE report_rating_cells (
    dept   TEXT NOT NULL,
    level  INTEGER NOT NULL,
    bucket BIGINT NOT NULL,
    asked  BIGINT NOT NULL,
    s1     BIGINT NOT NULL,
    s2     BIGINT NOT NULL,
    s3     BIGINT NOT NULL,
    s4     BIGINT NOT NULL,
    s5     BIGINT NOT NULL,
    PRIMARY KEY (dept, level, bucket)
);

CREATE FUNCTION report_rating_cells_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.skipped = '' THEN
        UPDATE report_rating_cells SET asked = asked - 1,
            s1 = s1 - (coalesce(OLD.score, 0) = 1)::int, s2 = s2 - (coalesce(OLD.score, 0) = 2)::int,
            s3 = s3 - (coalesce(OLD.score, 0) = 3)::int, s4 = s4 - (coalesce(OLD.score, 0) = 4)::int,
            s5 = s5 - (coalesce(OLD.score, 0) = 5)::int
            WHERE dept = OLD.dept AND ((level = 0 AND bucket = OLD.asked_at - OLD.asked_at % 900000)
                OR (level = 1 AND bucket = OLD.asked_at - OLD.asked_at % 86400000));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.skipped = '' THEN
        INSERT INTO report_rating_cells (dept, level, bucket, asked, s1, s2, s3, s4, s5)
            SELECT NEW.dept, l.level, NEW.asked_at - NEW.asked_at % l.span, 1,
                (coalesce(NEW.score, 0) = 1)::int, (coalesce(NEW.score, 0) = 2)::int, (coalesce(NEW.score, 0) = 3)::int,
                (coalesce(NEW.score, 0) = 4)::int, (coalesce(NEW.score, 0) = 5)::int
            FROM (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
            ON CONFLICT (dept, level, bucket) DO UPDATE SET asked = report_rating_cells.asked + excluded.asked,
                s1 = report_rating_cells.s1 + excluded.s1, s2 = report_rating_cells.s2 + excluded.s2,
                s3 = report_rating_cells.s3 + excluded.s3, s4 = report_rating_cells.s4 + excluded.s4,
                s5 = report_rating_cells.s5 + excluded.s5;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER report_rating_cells_keep AFTER INSERT OR DELETE OR UPDATE OF dept, asked_at, skipped, score ON ratings
    FOR EACH ROW EXECUTE FUNCTION report_rating_cells_keep();

INSERT INTO report_rating_cells (dept, level, bucket, asked, s1, s2, s3, s4, s5)
    SELECT r.dept, l.level, r.asked_at - r.asked_at % l.span, count(*),
        count(*) FILTER (WHERE r.score = 1), count(*) FILTER (WHERE r.score = 2), count(*) FILTER (WHERE r.score = 3),
        count(*) FILTER (WHERE r.score = 4), count(*) FILTER (WHERE r.score = 5)
    FROM ratings r, (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
    WHERE r.skipped = ''
    GROUP BY r.dept, l.level, r.asked_at - r.asked_at % l.span;
