-- report_cells: the counts figures add up, kept per department and time
-- bucket as the parts change (bot/report/rollup*.go), so that a period's
-- scorecards and digests sum a few thousand cells instead of reading each
-- part. A cell holds what the parts counted at instants in its bucket:
-- filed, received, passed on, resolved (in time, right first time, by
-- assignee), first responses decided (met), reopened, and every first
-- response and resolution time, kept in order so that medians stay exact
-- (an encoding bot/report owns). level 1 buckets are UTC days, level 0
-- quarter-hours (every real zone's midnight falls on one), bucket the
-- bucket's start in Unix milliseconds. kind is '' for the department or
-- 'p:' and a priority. It is derived data:
-- never copied; kept from the first part worked out on (see
-- report_rollup_state).
CREATE TABLE report_cells (
    dept   TEXT NOT NULL,
    level  INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    cell   BLOB NOT NULL,
    PRIMARY KEY (dept, level, kind, bucket)
) STRICT, WITHOUT ROWID;

-- report_rollup_state: ready is 1 while report_cells agrees with the
-- parts (SaveParts keeps them so); 0 has the next refresh rebuild them.
CREATE TABLE report_rollup_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    ready INTEGER NOT NULL
) STRICT;

-- Every part is worked out again (they now carry their ratings' verdict):
-- emptied before the new indexes, which are then built on no rows.
DELETE FROM report_parts;

-- What each part adds to the cells, or that it is counted apart (read on
-- its own by every report: still running, or needing the report's own
-- view of its ratings); last_at is the latest instant its figures count,
-- so that the parts with anything in the last, partial quarter-hour of a
-- period are one range.
ALTER TABLE report_parts ADD COLUMN apart INTEGER NOT NULL DEFAULT 1;
ALTER TABLE report_parts ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX report_parts_apart ON report_parts (dept) WHERE apart = 1;
CREATE INDEX report_parts_last ON report_parts (dept, last_at);
-- The parts open at an instant e began before it and end at or after it:
-- those that began in the 7 days before e, by start, and the few longer
-- ones (the running ones among them) by end.
CREATE INDEX report_parts_start ON report_parts (dept, start_at, end_key);
CREATE INDEX report_parts_long ON report_parts (dept, end_key) WHERE end_key - start_at >= 604800000;

-- A rating decides right first time: a request rated (or its rating
-- changed or removed) is worked out again.
CREATE TRIGGER report_stale_rating_ai AFTER INSERT ON ratings BEGIN
    INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests WHERE id = new.request_id
        ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
END;
CREATE TRIGGER report_stale_rating_au AFTER UPDATE OF score, dept, asked_at ON ratings BEGIN
    INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests WHERE id = new.request_id
        ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
END;
CREATE TRIGGER report_stale_rating_ad AFTER DELETE ON ratings BEGIN
    INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests WHERE id = old.request_id
        ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
END;

-- Every request is marked to be worked out again, the cells kept as they
-- are.
DELETE FROM report_standards;
INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests WHERE true
    ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
-- No parts, no cells: they agree, and the cells are kept from the first
-- part worked out on, a short transaction at a time.
INSERT INTO report_rollup_state (id, ready) VALUES (1, 1);

-- report_rating_cells: the rating prompts of each serving department per
-- UTC day (level 1) and quarter-hour (level 0) of asked_at, as CSAT counts
-- them: asked (not skipped) and the standing scores, 1 to 5. Kept by the
-- triggers below in the transaction that changes a rating; derived data,
-- never copied (a copy counts them again from its ratings).
CREATE TABLE report_rating_cells (
    dept   TEXT NOT NULL,
    level  INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    asked  INTEGER NOT NULL,
    s1     INTEGER NOT NULL,
    s2     INTEGER NOT NULL,
    s3     INTEGER NOT NULL,
    s4     INTEGER NOT NULL,
    s5     INTEGER NOT NULL,
    PRIMARY KEY (dept, level, bucket)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER report_rating_cells_ai AFTER INSERT ON ratings WHEN new.skipped = '' BEGIN
    INSERT INTO report_rating_cells (dept, level, bucket, asked, s1, s2, s3, s4, s5)
        SELECT new.dept, level, new.asked_at - new.asked_at % span, 1, coalesce(new.score, 0) = 1, coalesce(new.score, 0) = 2,
            coalesce(new.score, 0) = 3, coalesce(new.score, 0) = 4, coalesce(new.score, 0) = 5
        FROM (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) WHERE true
        ON CONFLICT (dept, level, bucket) DO UPDATE SET asked = asked + excluded.asked, s1 = s1 + excluded.s1,
            s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5;
END;
CREATE TRIGGER report_rating_cells_ad AFTER DELETE ON ratings WHEN old.skipped = '' BEGIN
    UPDATE report_rating_cells SET asked = asked - 1, s1 = s1 - (coalesce(old.score, 0) = 1), s2 = s2 - (coalesce(old.score, 0) = 2),
        s3 = s3 - (coalesce(old.score, 0) = 3), s4 = s4 - (coalesce(old.score, 0) = 4), s5 = s5 - (coalesce(old.score, 0) = 5)
        WHERE dept = old.dept AND ((level = 0 AND bucket = old.asked_at - old.asked_at % 900000)
            OR (level = 1 AND bucket = old.asked_at - old.asked_at % 86400000));
END;
CREATE TRIGGER report_rating_cells_au_old AFTER UPDATE OF dept, asked_at, skipped, score ON ratings WHEN old.skipped = '' BEGIN
    UPDATE report_rating_cells SET asked = asked - 1, s1 = s1 - (coalesce(old.score, 0) = 1), s2 = s2 - (coalesce(old.score, 0) = 2),
        s3 = s3 - (coalesce(old.score, 0) = 3), s4 = s4 - (coalesce(old.score, 0) = 4), s5 = s5 - (coalesce(old.score, 0) = 5)
        WHERE dept = old.dept AND ((level = 0 AND bucket = old.asked_at - old.asked_at % 900000)
            OR (level = 1 AND bucket = old.asked_at - old.asked_at % 86400000));
END;
CREATE TRIGGER report_rating_cells_au_new AFTER UPDATE OF dept, asked_at, skipped, score ON ratings WHEN new.skipped = '' BEGIN
    INSERT INTO report_rating_cells (dept, level, bucket, asked, s1, s2, s3, s4, s5)
        SELECT new.dept, level, new.asked_at - new.asked_at % span, 1, coalesce(new.score, 0) = 1, coalesce(new.score, 0) = 2,
            coalesce(new.score, 0) = 3, coalesce(new.score, 0) = 4, coalesce(new.score, 0) = 5
        FROM (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) WHERE true
        ON CONFLICT (dept, level, bucket) DO UPDATE SET asked = asked + excluded.asked, s1 = s1 + excluded.s1,
            s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4, s5 = s5 + excluded.s5;
END;

INSERT INTO report_rating_cells (dept, level, bucket, asked, s1, s2, s3, s4, s5)
    SELECT dept, level, asked_at - asked_at % span, count(*), sum(coalesce(score, 0) = 1), sum(coalesce(score, 0) = 2),
        sum(coalesce(score, 0) = 3), sum(coalesce(score, 0) = 4), sum(coalesce(score, 0) = 5)
    FROM ratings, (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000)
    WHERE skipped = ''
    GROUP BY dept, level, asked_at - asked_at % span;
