-- Saved answers are public (bot/public.go): anyone may find a saved
-- answer with /ask search and see it in deflection. search_docs keeps
-- whether a request is a saved answer beside its text, as it keeps the
-- requester and privacy, so that the scope of a search reads it without a
-- look-up per match; the store sets and clears it with saved_answers, in
-- the same transaction. A private request is never public, so it is never
-- marked, even if it was saved before this rule.
ALTER TABLE search_docs ADD COLUMN saved INTEGER NOT NULL DEFAULT 0;

-- A saved answer's requester column in search_fts also holds the token
-- "0saved" (no Slack user ID starts with a digit), so that a requester's
-- search, which names them in the FTS5 query to intersect their few
-- documents with the words' many, names the saved answers too:
-- requester : ("U0SAM0001" OR "0saved"). The triggers index and unindex
-- that same value, and a change of saved re-indexes the row.
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body, notes, requester) VALUES (new.doc, new.title, new.body, new.notes,
        new.requester || CASE new.saved WHEN 1 THEN ' 0saved' ELSE '' END);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester) VALUES ('delete', old.doc, old.title, old.body, old.notes,
        old.requester || CASE old.saved WHEN 1 THEN ' 0saved' ELSE '' END);
END;
CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body, notes, saved ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester) VALUES ('delete', old.doc, old.title, old.body, old.notes,
        old.requester || CASE old.saved WHEN 1 THEN ' 0saved' ELSE '' END);
    INSERT INTO search_fts (rowid, title, body, notes, requester) VALUES (new.doc, new.title, new.body, new.notes,
        new.requester || CASE new.saved WHEN 1 THEN ' 0saved' ELSE '' END);
END;

UPDATE search_docs SET saved = 1
WHERE private = 0 AND request_id IN (SELECT request_id FROM saved_answers);
