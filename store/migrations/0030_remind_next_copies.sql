-- What the reminder sweep reads of each request, kept beside its next
-- reminder time: the sweep finds its due requests in remind_next and reads
-- them there, a few pages of one narrow table, instead of visiting each
-- request's row, one page each scattered over the whole requests table
-- (13,000 due of a million: most of a sweep's reading). The columns are
-- copies of the request's, written with its next time in the same
-- transaction at every change (store/reminders.go), so a row is the
-- request at its version; the text, the fields and the figures the sweep
-- does not read stay in requests alone.
ALTER TABLE remind_next ADD COLUMN dept TEXT NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN requester TEXT NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN priority TEXT NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remind_next ADD COLUMN first_response_at INTEGER;
ALTER TABLE remind_next ADD COLUMN resolution_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remind_next ADD COLUMN resolved_at INTEGER;
ALTER TABLE remind_next ADD COLUMN closed_at INTEGER;
ALTER TABLE remind_next ADD COLUMN pauses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE remind_next ADD COLUMN standard_rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remind_next ADD COLUMN held_since INTEGER;
ALTER TABLE remind_next ADD COLUMN type_name TEXT NOT NULL DEFAULT '';
ALTER TABLE remind_next ADD COLUMN private INTEGER NOT NULL DEFAULT 0;

UPDATE remind_next SET (dept, requester, assignee, priority, state, title, created_at, first_response_at,
        resolution_start, resolved_at, closed_at, pauses, standard_rev, held_since, type_name, private) =
    (SELECT dept, requester, assignee, priority, state, title, created_at, first_response_at,
        resolution_start, resolved_at, closed_at, pauses, standard_rev, held_since, type_name, private
     FROM requests WHERE id = remind_next.request_id);
