-- Full-text search (/ask search, store/search.go). search_docs holds each
-- request's searchable text: its title, its text with its fields' values,
-- and the text of its later events (replies, questions, resolution notes,
-- reasons), one a line. search_fts indexes it (FTS5, external content: the
-- text is kept once, in search_docs) and the triggers keep the two in step.
-- The store writes search_docs in the same transaction as every change of
-- a request's text; a redacted request has no row (store/retention.go).
-- doc is an INTEGER PRIMARY KEY so that it survives VACUUM, which may
-- renumber the implicit rowids of requests. The request's department,
-- requester, state, privacy and filing time are copied beside its text, so
-- that who may see a match and the filters are read without a look-up in
-- requests for each match: they come first, before the text, and the
-- store updates them with the request.
CREATE TABLE search_docs (
    doc        INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE REFERENCES requests (id),
    dept       TEXT NOT NULL,
    requester  TEXT NOT NULL,
    state      TEXT NOT NULL,
    private    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    notes      TEXT NOT NULL
) STRICT;

-- The requester is indexed too (never matched by the words: queries name
-- the text columns), so that a search among one person's requests is an
-- intersection inside the index rather than a look-up per match.
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, notes, requester,
    content = 'search_docs', content_rowid = 'doc',
    tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body, notes, requester) VALUES (new.doc, new.title, new.body, new.notes, new.requester);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester) VALUES ('delete', old.doc, old.title, old.body, old.notes, old.requester);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body, notes ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester) VALUES ('delete', old.doc, old.title, old.body, old.notes, old.requester);
    INSERT INTO search_fts (rowid, title, body, notes, requester) VALUES (new.doc, new.title, new.body, new.notes, new.requester);
END;

-- The index of the requests already stored (not those redacted); the same
-- statement as store/search.go's sqliteSearchFill.
INSERT INTO search_docs (request_id, dept, requester, state, private, created_at, title, body, notes)
SELECT r.id, r.dept, r.requester, r.state, r.private, r.created_at, r.title,
    trim(r.body || char(10) || coalesce((SELECT group_concat(json_extract(f.value, '$.value'), char(10))
        FROM json_each(r.fields) f), ''), ' ' || char(10)),
    coalesce((SELECT group_concat(t, char(10)) FROM (SELECT json_extract(e.data, '$.text') AS t FROM events e
        WHERE e.request_id = r.id AND e.seq > 1
        AND coalesce(json_extract(e.data, '$.text'), '') NOT IN ('', '[redacted]') ORDER BY e.seq)), '')
FROM requests r WHERE r.redacted_at IS NULL;
