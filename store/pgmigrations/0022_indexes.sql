-- PostgreSQL's copy of migrations/0022_indexes.sql: a person's claimed
-- requests of a department in a state, by deadline.
CREATE INDEX requests_assignee ON requests (assignee, dept, state, next_due);

-- Search (store/search.go) ranks the newest matches: a word in many
-- requests is found walking the newest first along search_docs_created
-- and stops at the window, instead of sorting every match; a search
-- among one person's requests walks theirs. (SQLite's FTS5 hands matches
-- out newest first by itself.)
CREATE INDEX search_docs_created ON search_docs (created_at, request_id);
CREATE INDEX search_docs_requester ON search_docs (requester, created_at);
