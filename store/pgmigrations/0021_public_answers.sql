-- PostgreSQL's copy of migrations/0021_public_answers.sql: whether a
-- request is a saved answer (public to everyone), beside its text in
-- search_docs, kept in step with saved_answers by the store; never for a
-- private request. A constant default makes the new column cheap to add
-- to a large table.
ALTER TABLE search_docs ADD COLUMN saved INTEGER NOT NULL DEFAULT 0;
UPDATE search_docs SET saved = 1
WHERE private = 0 AND request_id IN (SELECT request_id FROM saved_answers);
CREATE INDEX search_docs_saved ON search_docs (created_at) WHERE saved = 1;
