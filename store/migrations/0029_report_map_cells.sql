-- report_map_cells: the map's counts (bot/report/relmap_cells.go), kept
-- like report_cells but per serving department, customer and bucket, so
-- that /ask map and a quarter's map sum cells instead of reading each
-- part. customer is 'd:' and the department stamped on the request when
-- it was filed, or 'u:' and the requester when none was (the map places
-- them by the directory of the day). cell is report_cells' encoding
-- without people. Kept in SaveParts' transaction, rebuilt with the other
-- cells; derived data, never copied.
CREATE TABLE report_map_cells (
    dept     TEXT NOT NULL,
    level    INTEGER NOT NULL,
    bucket   INTEGER NOT NULL,
    customer TEXT NOT NULL,
    cell     BLOB NOT NULL,
    PRIMARY KEY (dept, level, bucket, customer)
) STRICT, WITHOUT ROWID;

-- report_map_rating_cells: report_rating_cells per customer as well,
-- kept by the triggers below in the transaction that changes a rating. The
-- customer is read from the rating's request, whose requester_dept is
-- stamped when it is filed and never changed (a change would leave these
-- cells behind until they are rebuilt).
CREATE TABLE report_map_rating_cells (
    dept     TEXT NOT NULL,
    level    INTEGER NOT NULL,
    bucket   INTEGER NOT NULL,
    customer TEXT NOT NULL,
    asked    INTEGER NOT NULL,
    s1       INTEGER NOT NULL,
    s2       INTEGER NOT NULL,
    s3       INTEGER NOT NULL,
    s4       INTEGER NOT NULL,
    s5       INTEGER NOT NULL,
    PRIMARY KEY (dept, level, bucket, customer)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER report_map_rating_cells_ai AFTER INSERT ON ratings WHEN new.skipped = '' BEGIN
    INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
        SELECT new.dept, level, new.asked_at - new.asked_at % span,
            coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = new.request_id AND requester_dept != ''), 'u:' || new.requester),
            1, coalesce(new.score, 0) = 1, coalesce(new.score, 0) = 2,
            coalesce(new.score, 0) = 3, coalesce(new.score, 0) = 4, coalesce(new.score, 0) = 5
        FROM (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) WHERE true
        ON CONFLICT (dept, level, bucket, customer) DO UPDATE SET asked = asked + excluded.asked, s1 = s1 + excluded.s1,
            s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5;
END;
CREATE TRIGGER report_map_rating_cells_ad AFTER DELETE ON ratings WHEN old.skipped = '' BEGIN
    UPDATE report_map_rating_cells SET asked = asked - 1, s1 = s1 - (coalesce(old.score, 0) = 1), s2 = s2 - (coalesce(old.score, 0) = 2),
        s3 = s3 - (coalesce(old.score, 0) = 3), s4 = s4 - (coalesce(old.score, 0) = 4), s5 = s5 - (coalesce(old.score, 0) = 5)
        WHERE dept = old.dept AND ((level = 0 AND bucket = old.asked_at - old.asked_at % 900000)
            OR (level = 1 AND bucket = old.asked_at - old.asked_at % 86400000))
            AND customer = coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = old.request_id AND requester_dept != ''), 'u:' || old.requester);
END;
CREATE TRIGGER report_map_rating_cells_au_old AFTER UPDATE OF dept, asked_at, skipped, score, requester ON ratings WHEN old.skipped = '' BEGIN
    UPDATE report_map_rating_cells SET asked = asked - 1, s1 = s1 - (coalesce(old.score, 0) = 1), s2 = s2 - (coalesce(old.score, 0) = 2),
        s3 = s3 - (coalesce(old.score, 0) = 3), s4 = s4 - (coalesce(old.score, 0) = 4), s5 = s5 - (coalesce(old.score, 0) = 5)
        WHERE dept = old.dept AND ((level = 0 AND bucket = old.asked_at - old.asked_at % 900000)
            OR (level = 1 AND bucket = old.asked_at - old.asked_at % 86400000))
            AND customer = coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = old.request_id AND requester_dept != ''), 'u:' || old.requester);
END;
CREATE TRIGGER report_map_rating_cells_au_new AFTER UPDATE OF dept, asked_at, skipped, score, requester ON ratings WHEN new.skipped = '' BEGIN
    INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
        SELECT new.dept, level, new.asked_at - new.asked_at % span,
            coalesce((SELECT 'd:' || requester_dept FROM requests WHERE id = new.request_id AND requester_dept != ''), 'u:' || new.requester),
            1, coalesce(new.score, 0) = 1, coalesce(new.score, 0) = 2,
            coalesce(new.score, 0) = 3, coalesce(new.score, 0) = 4, coalesce(new.score, 0) = 5
        FROM (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) WHERE true
        ON CONFLICT (dept, level, bucket, customer) DO UPDATE SET asked = asked + excluded.asked, s1 = s1 + excluded.s1,
            s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5;
END;

INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
    SELECT r.dept, l.level, r.asked_at - r.asked_at % l.span,
        CASE WHEN coalesce(q.requester_dept, '') != '' THEN 'd:' || q.requester_dept ELSE 'u:' || r.requester END,
        count(*), sum(coalesce(r.score, 0) = 1), sum(coalesce(r.score, 0) = 2),
        sum(coalesce(r.score, 0) = 3), sum(coalesce(r.score, 0) = 4), sum(coalesce(r.score, 0) = 5)
    FROM ratings r LEFT JOIN requests q ON q.id = r.request_id, (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) l
    WHERE r.skipped = ''
    GROUP BY 1, 2, 3, 4;

-- report_map_late: the ratings (asked, of a request with a stamped
-- department) whose request had no part held by the rating's department
-- when it was asked: a map may not read their request, and then places
-- them by the requester's department now, so it reads these on their own.
-- Kept in SaveParts' transaction for the requests it works out (a rating
-- changed marks its request to be worked out again).
CREATE TABLE report_map_late (
    request_id TEXT NOT NULL,
    round      INTEGER NOT NULL,
    asked_at   INTEGER NOT NULL,
    PRIMARY KEY (request_id, round)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_map_late_asked ON report_map_late (asked_at);

-- Every part is worked out again, so that the map cells are kept from the
-- first one on, a short transaction at a time (as 0026 did): no parts,
-- no cells.
DELETE FROM report_parts;
DELETE FROM report_cells;
DELETE FROM report_standards;
INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests WHERE true
    ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
INSERT INTO report_rollup_state (id, ready) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET ready = 1;
