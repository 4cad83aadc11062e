-- report_parts: each department's part of a request (bot.Parts) as the
-- figures count it, worked out by askdesk (bot/report) in the
-- department's calendar: the part's record and its clocks' targets,
-- decisions and times, in facts (an encoding bot/report owns). Scorecards,
-- digests and the map read these instead of whole requests, their
-- histories and the clock arithmetic. A part is read for a period when it
-- began before the period's end and ended (passed on, resolved, cancelled)
-- at or after its start, or is still running: end_key is when it ended, or
-- the largest integer while it runs, and the table is kept in the order of
-- department and end_key, so that a department's parts of a period are one
-- range.
CREATE TABLE report_parts (
    dept       TEXT NOT NULL,
    end_key    INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    part       INTEGER NOT NULL,
    start_at   INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    facts      BLOB NOT NULL,
    PRIMARY KEY (dept, end_key, request_id, part)
) STRICT, WITHOUT ROWID;

CREATE INDEX report_parts_request ON report_parts (request_id);

-- report_stale: the requests whose parts are to be worked out again,
-- marked in the transaction that changes them (the triggers below): at the
-- version they reached, with seq counting the marks, so that a report
-- removes a mark only if nothing marked it again while it worked. Besides
-- each new version, a change to a column the parts hold without one (a
-- title redacted) marks it.
CREATE TABLE report_stale (
    request_id TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

CREATE TRIGGER report_stale_ai AFTER INSERT ON requests BEGIN
    INSERT INTO report_stale (request_id, version) VALUES (new.id, new.version)
        ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
END;
CREATE TRIGGER report_stale_au AFTER UPDATE OF version, dept, requester, requester_dept, assignee, priority, state, title,
        type_name, private, standard_rev ON requests BEGIN
    INSERT INTO report_stale (request_id, version) VALUES (new.id, new.version)
        ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
END;
CREATE TRIGGER report_stale_ad AFTER DELETE ON requests BEGIN
    INSERT INTO report_stale (request_id, version) VALUES (old.id, -1)
        ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = seq + 1;
END;

-- report_standards: the fingerprint of each department's calendar and
-- targets (all revisions) its parts were worked out with; a department
-- whose fingerprint changed has its parts worked out again.
CREATE TABLE report_standards (
    dept        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Ratings as figures read them (CSAT, right first time), from the index
-- alone: a quarter's prompts are hundreds of thousands of rows.
CREATE INDEX ratings_figures ON ratings (asked_at, dept, skipped, score, request_id, requester);

-- Every request existing now is worked out by the first report.
INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests;
