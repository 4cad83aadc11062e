-- PostgreSQL's copy of migrations/0034_report_seq_ratings.sql: once per
-- statement that changes ratings, in its transaction. The ratings are
-- written before this row, as everywhere else that takes both (the
-- recount of the ratings' cells locks ratings first), so the order of
-- locks stays one.
CREATE FUNCTION report_seq_ratings_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE report_rollup_state SET seq = seq + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_seq_ratings AFTER INSERT OR DELETE OR UPDATE OF dept, asked_at, skipped, score, requester ON ratings
    FOR EACH STATEMENT EXECUTE FUNCTION report_seq_ratings_bump();
