-- The quarterly internal customer survey: one row per person, department
-- and quarter asked, with the answer when it comes.
CREATE TABLE surveys (
    quarter   TEXT NOT NULL,      -- "2026-Q3": the quarter asked about
    requester TEXT NOT NULL,
    dept      TEXT NOT NULL,
    asked_at  INTEGER NOT NULL,
    score     INTEGER,            -- 1..5
    comment   TEXT NOT NULL DEFAULT '',
    answered_at INTEGER,
    PRIMARY KEY (quarter, requester, dept)
) STRICT, WITHOUT ROWID;
