-- PostgreSQL's copy of migrations/0031_report_rollup_seq.sql.
ALTER TABLE report_rollup_state ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
