-- report_rollup_state.seq counts the commits that changed what figures are
-- counted from (parts, cells, a reset): a figure reads it after working
-- out its parts and again after reading, and reads again when it moved,
-- so that a part another refresher moved into the cells meanwhile is
-- counted once.
ALTER TABLE report_rollup_state ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
