-- search_fts indexes the department too (never matched by the words:
-- queries name the text columns), so that a search among a department's
-- requests (its staff's, dept:) is an intersection inside the index
-- rather than a look-up in search_docs for each match of the words
-- (store/search.go). A transfer changes a request's department, so the
-- update trigger follows dept as well. The requester column keeps
-- migration 0021's "0saved" token for saved answers: the index is filled
-- with the values the triggers index (not by 'rebuild', which would read
-- the requester column without it), so that their deletes match.
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(title, body, notes, requester, dept,
    content = 'search_docs', content_rowid = 'doc',
    tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body, notes, requester, dept) VALUES (new.doc, new.title, new.body, new.notes,
        new.requester || CASE new.saved WHEN 1 THEN ' 0saved' ELSE '' END, new.dept);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester, dept) VALUES ('delete', old.doc, old.title, old.body, old.notes,
        old.requester || CASE old.saved WHEN 1 THEN ' 0saved' ELSE '' END, old.dept);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body, notes, saved, dept ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester, dept) VALUES ('delete', old.doc, old.title, old.body, old.notes,
        old.requester || CASE old.saved WHEN 1 THEN ' 0saved' ELSE '' END, old.dept);
    INSERT INTO search_fts (rowid, title, body, notes, requester, dept) VALUES (new.doc, new.title, new.body, new.notes,
        new.requester || CASE new.saved WHEN 1 THEN ' 0saved' ELSE '' END, new.dept);
END;

INSERT INTO search_fts (rowid, title, body, notes, requester, dept)
SELECT doc, title, body, notes, requester || CASE saved WHEN 1 THEN ' 0saved' ELSE '' END, dept FROM search_docs;
