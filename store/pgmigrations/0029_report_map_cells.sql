-- PostgreSQL's copy of migrations/0029_report_map_cells.sql: the map's
-- counts per serving department, customer and bucket, its ratings', the
-- late ratings, and every part worked out again (see there).
CREATE TABLE report_map_cells (
    dept     TEXT NOT NULL,
    level    INTEGER NOT NULL,
    bucket   BIGINT NOT NULL,
    customer TEXT NOT NULL,
    cell     BYTEA NOT NULL,
    PRIMARY KEY (dept, level, bucket, customer)
);

CREATE TABLE report_map_rating_cells (
    dept     TEXT NOT NULL,
    level    INTEGER NOT NULL,
    bucket   BIGINT NOT NULL,
    customer TEXT NOT NULL,
    asked    BIGINT NOT NULL,
    s1       BIGINT NOT NULL,
    s2       BIGINT NOT NULL,
    s3       BIGINT NOT NULL,
    s4       BIGINT NOT NULL,
    s5       BIGINT NOT NULL,
    PRIMARY KEY (dept, level, bucket, customer)
);

CREATE FUNCTION report_map_rating_cells_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cust TEXT;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.skipped = '' THEN
        cust := coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = OLD.request_id AND requester_dept != ''), 'u:' || OLD.requester);
        UPDATE report_map_rating_cells SET asked = asked - 1,
            s1 = s1 - (coalesce(OLD.score, 0) = 1)::int, s2 = s2 - (coalesce(OLD.score, 0) = 2)::int,
            s3 = s3 - (coalesce(OLD.score, 0) = 3)::int, s4 = s4 - (coalesce(OLD.score, 0) = 4)::int,
            s5 = s5 - (coalesce(OLD.score, 0) = 5)::int
            WHERE dept = OLD.dept AND ((level = 0 AND bucket = OLD.asked_at - OLD.asked_at % 900000)
                OR (level = 1 AND bucket = OLD.asked_at - OLD.asked_at % 86400000)) AND customer = cust;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.skipped = '' THEN
        cust := coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = NEW.request_id AND requester_dept != ''), 'u:' || NEW.requester);
        INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
            SELECT NEW.dept, l.level, NEW.asked_at - NEW.asked_at % l.span, cust, 1,
                (coalesce(NEW.score, 0) = 1)::int, (coalesce(NEW.score, 0) = 2)::int, (coalesce(NEW.score, 0) = 3)::int,
                (coalesce(NEW.score, 0) = 4)::int, (coalesce(NEW.score, 0) = 5)::int
            FROM (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
            ON CONFLICT (dept, level, bucket, customer) DO UPDATE SET asked = report_map_rating_cells.asked + excluded.asked,
                s1 = report_map_rating_cells.s1 + excluded.s1, s2 = report_map_rating_cells.s2 + excluded.s2,
                s3 = report_map_rating_cells.s3 + excluded.s3, s4 = report_map_rating_cells.s4 + excluded.s4,
                s5 = report_map_rating_cells.s5 + excluded.s5;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER report_map_rating_cells_keep AFTER INSERT OR DELETE OR UPDATE OF dept, asked_at, skipped, score, requester ON ratings
    FOR EACH ROW EXECUTE FUNCTION report_map_rating_cells_keep();

INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
    SELECT r.dept, l.level, r.asked_at - r.asked_at % l.span,
        CASE WHEN coalesce(q.requester_dept, '') != '' THEN 'd:' || q.requester_dept ELSE 'u:' || r.requester END,
        count(*), count(*) FILTER (WHERE r.score = 1), count(*) FILTER (WHERE r.score = 2), count(*) FILTER (WHERE r.score = 3),
        count(*) FILTER (WHERE r.score = 4), count(*) FILTER (WHERE r.score = 5)
    FROM ratings r LEFT JOIN requests q ON q.id = r.request_id, (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
    WHERE r.skipped = ''
    GROUP BY 1, 2, 3, 4;

CREATE TABLE report_map_late (
    request_id TEXT NOT NULL,
    round      INTEGER NOT NULL,
    asked_at   BIGINT NOT NULL,
    PRIMARY KEY (request_id, round)
);
CREATE INDEX report_map_late_asked ON report_map_late (asked_at);

DELETE FROM report_parts;
DELETE FROM report_cells;
DELETE FROM report_standards;
INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests
    ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1;
INSERT INTO report_rollup_state (id, ready) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET ready = 1;
