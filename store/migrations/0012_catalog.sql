-- The service catalogue: every published change of a department's service
-- standards, append-only. The catalogue in force is each department's
-- latest revision. body is the department's [[department]] table as TOML.
CREATE TABLE catalog_revisions (
    id      INTEGER PRIMARY KEY,          -- order of publication, all departments
    dept    TEXT NOT NULL,
    rev     INTEGER NOT NULL,             -- 1, 2, … per department
    at      INTEGER NOT NULL,             -- Unix milliseconds, UTC
    actor   TEXT NOT NULL,                -- Slack user ID, or "" for the config file
    source  TEXT NOT NULL,                -- file, slack, console
    reason  TEXT NOT NULL,
    body    TEXT NOT NULL,
    UNIQUE (dept, rev)
) STRICT;

-- The catalogue revision whose targets a request runs on: its department's
-- at filing, the receiving department's after a transfer; 0 before the
-- catalogue existed (the department's current standard applies).
ALTER TABLE requests ADD COLUMN standard_rev INTEGER NOT NULL DEFAULT 0;
