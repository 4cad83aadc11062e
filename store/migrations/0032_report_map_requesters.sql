-- The map cells of requests filed without a stamped department (customer
-- 'u:' and the requester, placed by the directory when a map is read)
-- move to tables of their own, keyed by requester first, and are kept
-- all together as well, under customer 'a:' in report_map_cells and
-- report_map_rating_cells: a map then reads one row per department and
-- bucket for every unstamped requester, and on their own only the
-- requesters the directory places in a department
-- (bot/report/relmap_cells.go). Derived data, never copied.
CREATE TABLE report_map_requester_cells (
    requester TEXT NOT NULL,
    level     INTEGER NOT NULL,
    bucket    INTEGER NOT NULL,
    dept      TEXT NOT NULL,
    cell      BLOB NOT NULL,
    PRIMARY KEY (requester, level, bucket, dept)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_map_requester_rating_cells (
    requester TEXT NOT NULL,
    level     INTEGER NOT NULL,
    bucket    INTEGER NOT NULL,
    dept      TEXT NOT NULL,
    asked     INTEGER NOT NULL,
    s1        INTEGER NOT NULL,
    s2        INTEGER NOT NULL,
    s3        INTEGER NOT NULL,
    s4        INTEGER NOT NULL,
    s5        INTEGER NOT NULL,
    PRIMARY KEY (requester, level, bucket, dept)
) STRICT, WITHOUT ROWID;

DROP TRIGGER report_map_rating_cells_ai;
DROP TRIGGER report_map_rating_cells_ad;
DROP TRIGGER report_map_rating_cells_au_old;
DROP TRIGGER report_map_rating_cells_au_new;

-- A rating of a stamped request counts in its department's cell; any
-- other in 'a:' and in its requester's own.
CREATE TRIGGER report_map_rating_cells_ai AFTER INSERT ON ratings WHEN new.skipped = '' BEGIN
    INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
        SELECT new.dept, level, new.asked_at - new.asked_at % span,
            coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = new.request_id AND requester_dept != ''), 'a:'),
            1, coalesce(new.score, 0) = 1, coalesce(new.score, 0) = 2,
            coalesce(new.score, 0) = 3, coalesce(new.score, 0) = 4, coalesce(new.score, 0) = 5
        FROM (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) WHERE true
        ON CONFLICT (dept, level, bucket, customer) DO UPDATE SET asked = asked + excluded.asked, s1 = s1 + excluded.s1,
            s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5;
    INSERT INTO report_map_requester_rating_cells (requester, level, bucket, dept, asked, s1, s2, s3, s4, s5)
        SELECT new.requester, level, new.asked_at - new.asked_at % span, new.dept,
            1, coalesce(new.score, 0) = 1, coalesce(new.score, 0) = 2,
            coalesce(new.score, 0) = 3, coalesce(new.score, 0) = 4, coalesce(new.score, 0) = 5
        FROM (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000)
        WHERE NOT EXISTS (SELECT 1 FROM requests WHERE id = new.request_id AND requester_dept != '')
        ON CONFLICT (requester, level, bucket, dept) DO UPDATE SET asked = asked + excluded.asked, s1 = s1 + excluded.s1,
            s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5;
END;
CREATE TRIGGER report_map_rating_cells_ad AFTER DELETE ON ratings WHEN old.skipped = '' BEGIN
    UPDATE report_map_rating_cells SET asked = asked - 1, s1 = s1 - (coalesce(old.score, 0) = 1), s2 = s2 - (coalesce(old.score, 0) = 2),
        s3 = s3 - (coalesce(old.score, 0) = 3), s4 = s4 - (coalesce(old.score, 0) = 4), s5 = s5 - (coalesce(old.score, 0) = 5)
        WHERE dept = old.dept AND ((level = 0 AND bucket = old.asked_at - old.asked_at % 900000)
            OR (level = 1 AND bucket = old.asked_at - old.asked_at % 86400000))
            AND customer = coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = old.request_id AND requester_dept != ''), 'a:');
    UPDATE report_map_requester_rating_cells SET asked = asked - 1, s1 = s1 - (coalesce(old.score, 0) = 1), s2 = s2 - (coalesce(old.score, 0) = 2),
        s3 = s3 - (coalesce(old.score, 0) = 3), s4 = s4 - (coalesce(old.score, 0) = 4), s5 = s5 - (coalesce(old.score, 0) = 5)
        WHERE requester = old.requester AND ((level = 0 AND bucket = old.asked_at - old.asked_at % 900000)
            OR (level = 1 AND bucket = old.asked_at - old.asked_at % 86400000)) AND dept = old.dept
            AND NOT EXISTS (SELECT 1 FROM requests WHERE id = old.request_id AND requester_dept != '');
END;
CREATE TRIGGER report_map_rating_cells_au_old AFTER UPDATE OF dept, asked_at, skipped, score, requester ON ratings WHEN old.skipped = '' BEGIN
    UPDATE report_map_rating_cells SET asked = asked - 1, s1 = s1 - (coalesce(old.score, 0) = 1), s2 = s2 - (coalesce(old.score, 0) = 2),
        s3 = s3 - (coalesce(old.score, 0) = 3), s4 = s4 - (coalesce(old.score, 0) = 4), s5 = s5 - (coalesce(old.score, 0) = 5)
        WHERE dept = old.dept AND ((level = 0 AND bucket = old.asked_at - old.asked_at % 900000)
            OR (level = 1 AND bucket = old.asked_at - old.asked_at % 86400000))
            AND customer = coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = old.request_id AND requester_dept != ''), 'a:');
    UPDATE report_map_requester_rating_cells SET asked = asked - 1, s1 = s1 - (coalesce(old.score, 0) = 1), s2 = s2 - (coalesce(old.score, 0) = 2),
        s3 = s3 - (coalesce(old.score, 0) = 3), s4 = s4 - (coalesce(old.score, 0) = 4), s5 = s5 - (coalesce(old.score, 0) = 5)
        WHERE requester = old.requester AND ((level = 0 AND bucket = old.asked_at - old.asked_at % 900000)
            OR (level = 1 AND bucket = old.asked_at - old.asked_at % 86400000)) AND dept = old.dept
            AND NOT EXISTS (SELECT 1 FROM requests WHERE id = old.request_id AND requester_dept != '');
END;
CREATE TRIGGER report_map_rating_cells_au_new AFTER UPDATE OF dept, asked_at, skipped, score, requester ON ratings WHEN new.skipped = '' BEGIN
    INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
        SELECT new.dept, level, new.asked_at - new.asked_at % span,
            coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = new.request_id AND requester_dept != ''), 'a:'),
            1, coalesce(new.score, 0) = 1, coalesce(new.score, 0) = 2,
            coalesce(new.score, 0) = 3, coalesce(new.score, 0) = 4, coalesce(new.score, 0) = 5
        FROM (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) WHERE true
        ON CONFLICT (dept, level, bucket, customer) DO UPDATE SET asked = asked + excluded.asked, s1 = s1 + excluded.s1,
            s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5;
    INSERT INTO report_map_requester_rating_cells (requester, level, bucket, dept, asked, s1, s2, s3, s4, s5)
        SELECT new.requester, level, new.asked_at - new.asked_at % span, new.dept,
            1, coalesce(new.score, 0) = 1, coalesce(new.score, 0) = 2,
            coalesce(new.score, 0) = 3, coalesce(new.score, 0) = 4, coalesce(new.score, 0) = 5
        FROM (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000)
        WHERE NOT EXISTS (SELECT 1 FROM requests WHERE id = new.request_id AND requester_dept != '')
        ON CONFLICT (requester, level, bucket, dept) DO UPDATE SET asked = asked + excluded.asked, s1 = s1 + excluded.s1,
            s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5;
END;

-- The ratings' map cells counted afresh from the ratings, both ways.
DELETE FROM report_map_rating_cells;
INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
    SELECT r.dept, l.level, r.asked_at - r.asked_at % l.span,
        CASE WHEN coalesce(q.requester_dept, '') != '' THEN 'd:' || q.requester_dept ELSE 'a:' END,
        count(*), sum(coalesce(r.score, 0) = 1), sum(coalesce(r.score, 0) = 2),
        sum(coalesce(r.score, 0) = 3), sum(coalesce(r.score, 0) = 4), sum(coalesce(r.score, 0) = 5)
    FROM ratings r LEFT JOIN requests q ON q.id = r.request_id, (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) l
    WHERE r.skipped = ''
    GROUP BY 1, 2, 3, 4;
INSERT INTO report_map_requester_rating_cells (requester, level, bucket, dept, asked, s1, s2, s3, s4, s5)
    SELECT r.requester, l.level, r.asked_at - r.asked_at % l.span, r.dept,
        count(*), sum(coalesce(r.score, 0) = 1), sum(coalesce(r.score, 0) = 2),
        sum(coalesce(r.score, 0) = 3), sum(coalesce(r.score, 0) = 4), sum(coalesce(r.score, 0) = 5)
    FROM ratings r LEFT JOIN requests q ON q.id = r.request_id, (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) l
    WHERE r.skipped = '' AND coalesce(q.requester_dept, '') = ''
    GROUP BY 1, 2, 3, 4;

-- Every part is worked out again, so that the map cells are kept from the
-- first one on in their new form, a short transaction at a time (as 0029
-- did): no parts, no cells.
DELETE FROM report_parts;
DELETE FROM report_cells;
DELETE FROM report_standards;
DELETE FROM report_map_cells;
DELETE FROM report_map_late;
INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests WHERE true
    ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
INSERT INTO report_rollup_state (id, ready, seq) VALUES (1, 1, 0) ON CONFLICT (id) DO UPDATE SET ready = 1, seq = report_rollup_state.seq + 1;
