-- Saved answers are public (bot/deflect.go): anyone may find a saved
-- answer with /ask search and see it in deflection. search_docs keeps
-- whether a request is a saved answer beside its text, as it keeps the
-- requester and privacy, so that the scope of a search reads it without a
-- look-up per match; the store sets and clears it with saved_answers, in
-- the same transaction. A private request is never public, so it is never
-- marked, even if it was saved before this rule. The partial index lists
-- the saved answers newest first, so that a search of a requester's own
-- requests and the saved answers reads the few saved ones rather than
-- every match of its words.
ALTER TABLE search_docs ADD COLUMN saved INTEGER NOT NULL DEFAULT 0;
UPDATE search_docs SET saved = 1
WHERE private = 0 AND request_id IN (SELECT request_id FROM saved_answers);
CREATE INDEX search_docs_saved ON search_docs (doc) WHERE saved = 1;
