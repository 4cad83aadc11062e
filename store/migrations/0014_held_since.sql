-- Each department is measured on its own part of a request (docs/sla.md,
-- "Transfers"): held_since is when the department holding a request took
-- it, at filing or at the last transfer, and its clocks start there.
-- Requests never transferred took it at filing. Those transferred before
-- this migration keep NULL, which means their clocks run from filing as
-- they always did, and reports count them wholly to their department now.
ALTER TABLE requests ADD COLUMN held_since INTEGER;
UPDATE requests SET held_since = created_at WHERE transfers = 0;

-- Reports find the requests a department passed on by their transfers.
CREATE INDEX events_transferred ON events (at) WHERE kind = 'transferred';
