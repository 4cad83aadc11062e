-- search_fts indexes the department too (never matched by the words:
-- queries name the text columns), so that a search among a department's
-- requests (its staff's, dept:) is an intersection inside the index
-- rather than a look-up in search_docs for each match of the words
-- (store/search.go). A transfer changes a request's department, so the
-- update trigger follows dept as well.
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(title, body, notes, requester, dept,
    content = 'search_docs', content_rowid = 'doc',
    tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body, notes, requester, dept) VALUES (new.doc, new.title, new.body, new.notes, new.requester, new.dept);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester, dept) VALUES ('delete', old.doc, old.title, old.body, old.notes, old.requester, old.dept);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body, notes, dept ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester, dept) VALUES ('delete', old.doc, old.title, old.body, old.notes, old.requester, old.dept);
    INSERT INTO search_fts (rowid, title, body, notes, requester, dept) VALUES (new.doc, new.title, new.body, new.notes, new.requester, new.dept);
END;

INSERT INTO search_fts (search_fts) VALUES ('rebuild');
