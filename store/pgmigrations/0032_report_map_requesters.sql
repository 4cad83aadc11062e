-- PostgreSQL's copy of migrations/0032_report_map_requesters.sql: the
-- unstamped requesters' map cells in tables of their own, keyed by
-- requester first, and all together under customer 'a:' (see there).
CREATE TABLE report_map_requester_cells (
    requester TEXT NOT NULL,
    level     INTEGER NOT NULL,
    bucket    BIGINT NOT NULL,
    dept      TEXT NOT NULL,
    cell      BYTEA NOT NULL,
    PRIMARY KEY (requester, level, bucket, dept)
);

CREATE TABLE report_map_requester_rating_cells (
    requester TEXT NOT NULL,
    level     INTEGER NOT NULL,
    bucket    BIGINT NOT NULL,
    dept      TEXT NOT NULL,
    asked     BIGINT NOT NULL,
    s1        BIGINT NOT NULL,
    s2        BIGINT NOT NULL,
    s3        BIGINT NOT NULL,
    s4        BIGINT NOT NULL,
    s5        BIGINT NOT NULL,
    PRIMARY KEY (requester, level, bucket, dept)
);

CREATE OR REPLACE FUNCTION report_map_rating_cells_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stamped TEXT;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.skipped = '' THEN
        stamped := (SELECT requester_dept FROM requests WHERE id = OLD.request_id AND requester_dept != '');
        UPDATE report_map_rating_cells SET asked = asked - 1,
            s1 = s1 - (coalesce(OLD.score, 0) = 1)::int, s2 = s2 - (coalesce(OLD.score, 0) = 2)::int,
            s3 = s3 - (coalesce(OLD.score, 0) = 3)::int, s4 = s4 - (coalesce(OLD.score, 0) = 4)::int,
            s5 = s5 - (coalesce(OLD.score, 0) = 5)::int
            WHERE dept = OLD.dept AND ((level = 0 AND bucket = OLD.asked_at - OLD.asked_at % 900000)
                OR (level = 1 AND bucket = OLD.asked_at - OLD.asked_at % 86400000)) AND customer = coalesce('d:' || stamped, 'a:');
        IF stamped IS NULL THEN
            UPDATE report_map_requester_rating_cells SET asked = asked - 1,
                s1 = s1 - (coalesce(OLD.score, 0) = 1)::int, s2 = s2 - (coalesce(OLD.score, 0) = 2)::int,
                s3 = s3 - (coalesce(OLD.score, 0) = 3)::int, s4 = s4 - (coalesce(OLD.score, 0) = 4)::int,
                s5 = s5 - (coalesce(OLD.score, 0) = 5)::int
                WHERE requester = OLD.requester AND ((level = 0 AND bucket = OLD.asked_at - OLD.asked_at % 900000)
                    OR (level = 1 AND bucket = OLD.asked_at - OLD.asked_at % 86400000)) AND dept = OLD.dept;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.skipped = '' THEN
        stamped := (SELECT requester_dept FROM requests WHERE id = NEW.request_id AND requester_dept != '');
        INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
            SELECT NEW.dept, l.level, NEW.asked_at - NEW.asked_at % l.span, coalesce('d:' || stamped, 'a:'), 1,
                (coalesce(NEW.score, 0) = 1)::int, (coalesce(NEW.score, 0) = 2)::int, (coalesce(NEW.score, 0) = 3)::int,
                (coalesce(NEW.score, 0) = 4)::int, (coalesce(NEW.score, 0) = 5)::int
            FROM (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
            ON CONFLICT (dept, level, bucket, customer) DO UPDATE SET asked = report_map_rating_cells.asked + excluded.asked,
                s1 = report_map_rating_cells.s1 + excluded.s1, s2 = report_map_rating_cells.s2 + excluded.s2,
                s3 = report_map_rating_cells.s3 + excluded.s3, s4 = report_map_rating_cells.s4 + excluded.s4,
                s5 = report_map_rating_cells.s5 + excluded.s5;
        IF stamped IS NULL THEN
            INSERT INTO report_map_requester_rating_cells (requester, level, bucket, dept, asked, s1, s2, s3, s4, s5)
                SELECT NEW.requester, l.level, NEW.asked_at - NEW.asked_at % l.span, NEW.dept, 1,
                    (coalesce(NEW.score, 0) = 1)::int, (coalesce(NEW.score, 0) = 2)::int, (coalesce(NEW.score, 0) = 3)::int,
                    (coalesce(NEW.score, 0) = 4)::int, (coalesce(NEW.score, 0) = 5)::int
                FROM (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
                ON CONFLICT (requester, level, bucket, dept) DO UPDATE SET asked = report_map_requester_rating_cells.asked + excluded.asked,
                    s1 = report_map_requester_rating_cells.s1 + excluded.s1, s2 = report_map_requester_rating_cells.s2 + excluded.s2,
                    s3 = report_map_requester_rating_cells.s3 + excluded.s3, s4 = report_map_requester_rating_cells.s4 + excluded.s4,
                    s5 = report_map_requester_rating_cells.s5 + excluded.s5;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

DELETE FROM report_map_rating_cells;
INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
    SELECT r.dept, l.level, r.asked_at - r.asked_at % l.span,
        CASE WHEN coalesce(q.requester_dept, '') != '' THEN 'd:' || q.requester_dept ELSE 'a:' END,
        count(*), count(*) FILTER (WHERE r.score = 1), count(*) FILTER (WHERE r.score = 2), count(*) FILTER (WHERE r.score = 3),
        count(*) FILTER (WHERE r.score = 4), count(*) FILTER (WHERE r.score = 5)
    FROM ratings r LEFT JOIN requests q ON q.id = r.request_id, (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
    WHERE r.skipped = ''
    GROUP BY 1, 2, 3, 4;
INSERT INTO report_map_requester_rating_cells (requester, level, bucket, dept, asked, s1, s2, s3, s4, s5)
    SELECT r.requester, l.level, r.asked_at - r.asked_at % l.span, r.dept,
        count(*), count(*) FILTER (WHERE r.score = 1), count(*) FILTER (WHERE r.score = 2), count(*) FILTER (WHERE r.score = 3),
        count(*) FILTER (WHERE r.score = 4), count(*) FILTER (WHERE r.score = 5)
    FROM ratings r LEFT JOIN requests q ON q.id = r.request_id, (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
    WHERE r.skipped = '' AND coalesce(q.requester_dept, '') = ''
    GROUP BY 1, 2, 3, 4;

DELETE FROM report_parts;
DELETE FROM report_cells;
DELETE FROM report_standards;
DELETE FROM report_map_cells;
DELETE FROM report_map_late;
INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests
    ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1;
INSERT INTO report_rollup_state (id, ready, seq) VALUES (1, 1, 0) ON CONFLICT (id) DO UPDATE SET ready = 1, seq = report_rollup_state.seq + 1;
