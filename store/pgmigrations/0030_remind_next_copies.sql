-- PostgreSQL's copy of migrations/0030_remind_next_copies.sql: what the
-- reminder sweep reads of each request, kept beside its next reminder time.
ALTER TABLE remind_next ADD COLUMN dept TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN requester TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN assignee TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN priority TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN state TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN title TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE remind_next ADD COLUMN first_response_at BIGINT;
ALTER TABLE remind_next ADD COLUMN resolution_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE remind_next ADD COLUMN resolved_at BIGINT;
ALTER TABLE remind_next ADD COLUMN closed_at BIGINT;
ALTER TABLE remind_next ADD COLUMN pauses TEXT COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE remind_next ADD COLUMN standard_rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remind_next ADD COLUMN held_since BIGINT;
ALTER TABLE remind_next ADD COLUMN type_name TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN private INTEGER NOT NULL DEFAULT 0;

UPDATE remind_next n SET dept = r.dept, requester = r.requester, assignee = r.assignee, priority = r.priority,
    state = r.state, title = r.title, created_at = r.created_at, first_response_at = r.first_response_at,
    resolution_start = r.resolution_start, resolved_at = r.resolved_at, closed_at = r.closed_at,
    pauses = r.pauses, standard_rev = r.standard_rev, held_since = r.held_since, type_name = r.type_name,
    private = r.private
FROM requests r WHERE r.id = n.request_id;
