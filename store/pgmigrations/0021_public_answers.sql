-- PostgreSQL's copy of migrations/0021_public_answers.sql: whether a
-- request is a saved answer (public to everyone), beside its text in
-- search_docs, kept in step with saved_answers by the store; never for a
-- private request. A constant default makes the new column cheap to add
-- to a large table. (The tsvector needs no change: who may see a match is
-- read from these columns, as the requester is.)
ALTER TABLE search_docs ADD COLUMN saved INTEGER NOT NULL DEFAULT 0;
UPDATE search_docs SET saved = 1
WHERE private = 0 AND request_id IN (SELECT request_id FROM saved_answers);
-- A requester's search (store/search.go) reads the saved answers apart from their own
-- requests, newest first along this (small) index.
CREATE INDEX search_docs_saved ON search_docs (created_at, request_id) WHERE saved = 1;
