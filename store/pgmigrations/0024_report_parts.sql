-- PostgreSQL's copy of migrations/0024_report_parts.sql: each department's
-- part of a request as the figures count it, the marks of requests
-- changed since, the fingerprints of the standards they were worked out
-- with (see there).
CREATE TABLE report_parts (
    dept       TEXT NOT NULL,
    end_key    BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    part       INTEGER NOT NULL,
    start_at   BIGINT NOT NULL,
    version    BIGINT NOT NULL,
    facts      BYTEA NOT NULL,
    PRIMARY KEY (dept, end_key, request_id, part)
);

CREATE INDEX report_parts_request ON report_parts (request_id);

CREATE TABLE report_stale (
    request_id TEXT PRIMARY KEY,
    version    BIGINT NOT NULL,
    seq        BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION report_stale_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO report_stale (request_id, version) VALUES (OLD.id, -1)
            ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1;
        RETURN OLD;
    END IF;
    INSERT INTO report_stale (request_id, version) VALUES (NEW.id, NEW.version)
        ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER report_stale_ai AFTER INSERT ON requests
    FOR EACH ROW EXECUTE FUNCTION report_stale_mark();
CREATE TRIGGER report_stale_au AFTER UPDATE OF version, dept, requester, requester_dept, assignee, priority, state, title,
        type_name, private, standard_rev ON requests
    FOR EACH ROW EXECUTE FUNCTION report_stale_mark();
CREATE TRIGGER report_stale_ad AFTER DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION report_stale_mark();

CREATE TABLE report_standards (
    dept        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);

CREATE INDEX ratings_figures ON ratings (asked_at, dept, skipped, score, request_id, requester);

INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests;
