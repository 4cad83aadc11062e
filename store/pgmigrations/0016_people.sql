-- PostgreSQL's copy of migrations/0016_people.sql.
ALTER TABLE requests ADD COLUMN requester_dept TEXT COLLATE "C" NOT NULL DEFAULT '';

CREATE TABLE person_depts (
    user_id    TEXT COLLATE "C" PRIMARY KEY,
    dept       TEXT COLLATE "C" NOT NULL,
    source     TEXT COLLATE "C" NOT NULL,
    learned_at BIGINT NOT NULL
);

CREATE TABLE usergroups (
    usergroup TEXT COLLATE "C" PRIMARY KEY,
    handle    TEXT COLLATE "C" NOT NULL DEFAULT '',
    synced_at BIGINT NOT NULL
);

CREATE TABLE usergroup_members (
    usergroup TEXT COLLATE "C" NOT NULL REFERENCES usergroups (usergroup),
    user_id   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (usergroup, user_id)
);

CREATE TABLE away (
    user_id    TEXT COLLATE "C" PRIMARY KEY,
    since      BIGINT NOT NULL,
    until      BIGINT
);
