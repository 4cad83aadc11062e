-- Chinese words in search (store/search_grams.go). FTS5's unicode61
-- tokenizer takes a run of Han characters, which Chinese writes with no
-- spaces between its words, for one word: 预算 was found at the start of
-- 需要第三季度预算 but never inside it. grams holds the Han of a request's
-- title, text and notes as cjk.Bigrams writes it, the overlapping pairs of
-- each run and its last character ("需要 要第 第三 … 预算 算"), which the
-- same tokenizer splits at the spaces; a search looks for a run of Han as
-- the phrase of its pairs in grams, and for a single character as the
-- start of a term. A request with no Han has grams ''.
--
-- grams is worked out in Go, not here: the requests that hold Han (or may:
-- the test is a superset) are marked NULL, and the store fills them after
-- migrating, a thousand at a time, each batch committed
-- (fillSearchGrams); NULL means not worked out yet. The rest keep the
-- column's default '' and are not written: a store with no Chinese only
-- reads its rows once.
ALTER TABLE search_docs ADD COLUMN grams TEXT DEFAULT '';
UPDATE search_docs SET grams = NULL
WHERE title || char(10) || body || char(10) || notes GLOB '*[⺀-鿿豈-﫿𠀀-𲎯]*';
CREATE INDEX search_docs_grams_todo ON search_docs (doc) WHERE grams IS NULL;

-- search_fts gets the grams column; the triggers index coalesce(grams,
-- '') and re-index a row only when what it indexes changed, so that
-- working out grams re-indexes only the rows with Han. The index is filled
-- with the values the triggers index, as migration 0023 fills it.
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(title, body, notes, requester, dept, grams,
    content = 'search_docs', content_rowid = 'doc',
    tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, body, notes, requester, dept, grams) VALUES (new.doc, new.title, new.body, new.notes,
        new.requester || CASE new.saved WHEN 1 THEN ' 0saved' ELSE '' END, new.dept, coalesce(new.grams, ''));
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester, dept, grams) VALUES ('delete', old.doc, old.title, old.body, old.notes,
        old.requester || CASE old.saved WHEN 1 THEN ' 0saved' ELSE '' END, old.dept, coalesce(old.grams, ''));
END;
CREATE TRIGGER search_docs_au AFTER UPDATE OF title, body, notes, saved, dept, grams ON search_docs
WHEN old.title != new.title OR old.body != new.body OR old.notes != new.notes OR old.saved != new.saved
    OR old.dept != new.dept OR coalesce(old.grams, '') != coalesce(new.grams, '')
BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, body, notes, requester, dept, grams) VALUES ('delete', old.doc, old.title, old.body, old.notes,
        old.requester || CASE old.saved WHEN 1 THEN ' 0saved' ELSE '' END, old.dept, coalesce(old.grams, ''));
    INSERT INTO search_fts (rowid, title, body, notes, requester, dept, grams) VALUES (new.doc, new.title, new.body, new.notes,
        new.requester || CASE new.saved WHEN 1 THEN ' 0saved' ELSE '' END, new.dept, coalesce(new.grams, ''));
END;

INSERT INTO search_fts (rowid, title, body, notes, requester, dept, grams)
SELECT doc, title, body, notes, requester || CASE saved WHEN 1 THEN ' 0saved' ELSE '' END, dept, coalesce(grams, '') FROM search_docs;
