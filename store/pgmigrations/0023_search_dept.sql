-- PostgreSQL's side of migrations/0023_search_dept.sql (which indexes the
-- department in SQLite's FTS5): a search among a department's requests
-- for a word in many of them walks the department's newest first.
CREATE INDEX search_docs_dept ON search_docs (dept, created_at);
