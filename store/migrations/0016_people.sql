-- People beyond the config: the department each requester was learned to
-- belong to, the members of departments' Slack user groups, and who is
-- away. And each request keeps its requester's department as it was when
-- the request was filed, so reports do not change when people move.
ALTER TABLE requests ADD COLUMN requester_dept TEXT NOT NULL DEFAULT '';

-- What a person's Slack profile said of their department ('' when it said
-- nothing), and when it was read; read again when stale.
CREATE TABLE person_depts (
    user_id    TEXT PRIMARY KEY,
    dept       TEXT NOT NULL,
    source     TEXT NOT NULL,           -- "profile"
    learned_at INTEGER NOT NULL         -- Unix milliseconds, UTC
) STRICT, WITHOUT ROWID;

-- A Slack user group named by a department, as last read from Slack.
CREATE TABLE usergroups (
    usergroup TEXT PRIMARY KEY,         -- S0123ABCD
    handle    TEXT NOT NULL DEFAULT '', -- finance-team
    synced_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE usergroup_members (
    usergroup TEXT NOT NULL REFERENCES usergroups (usergroup),
    user_id   TEXT NOT NULL,
    PRIMARY KEY (usergroup, user_id)
) STRICT, WITHOUT ROWID;

-- Out of office: away from since until until (NULL: until they say they
-- are back).
CREATE TABLE away (
    user_id    TEXT PRIMARY KEY,
    since      INTEGER NOT NULL,
    until      INTEGER
) STRICT, WITHOUT ROWID;
