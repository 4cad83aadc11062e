-- A change of a rating moves report_rollup_state.seq, as a commit of parts
-- does: the map reads the rating cells of the unstamped requesters together
-- and then, apart, those of the requesters the directory places, and
-- subtracts the second from the first; a rating committed between the two
-- reads must make it read again (the re-read check, 0031).
CREATE TRIGGER report_seq_ratings_ai AFTER INSERT ON ratings BEGIN
    UPDATE report_rollup_state SET seq = seq + 1 WHERE id = 1;
END;
CREATE TRIGGER report_seq_ratings_ad AFTER DELETE ON ratings BEGIN
    UPDATE report_rollup_state SET seq = seq + 1 WHERE id = 1;
END;
CREATE TRIGGER report_seq_ratings_au AFTER UPDATE OF dept, asked_at, skipped, score, requester ON ratings BEGIN
    UPDATE report_rollup_state SET seq = seq + 1 WHERE id = 1;
END;
