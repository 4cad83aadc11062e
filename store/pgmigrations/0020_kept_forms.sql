-- PostgreSQL's copy of migrations/0020_kept_forms.sql: a form's filing
-- kept whole while its earlier answers are shown.
ALTER TABLE pending_filings ADD COLUMN form TEXT NOT NULL DEFAULT '';
