-- PostgreSQL's copy of migrations/0017_search.sql: each request's
-- searchable text (title; text and fields' values; the text of its later
-- events, one a line), and its tsvector with the 'simple' configuration
-- (no stemming, no stop words: any language's words are found as typed),
-- weighted title A, text B, notes C, under a GIN index; with the
-- request's department, requester, state, privacy and filing time, which
-- the store updates with the request, so that who may see a match and the
-- filters need no join. The store writes
-- it in the same transaction as every change of a request's text; a
-- redacted request has no row (store/retention.go).
CREATE TABLE search_docs (
    request_id TEXT COLLATE "C" PRIMARY KEY REFERENCES requests (id),
    dept       TEXT NOT NULL,
    requester  TEXT NOT NULL,
    state      TEXT NOT NULL,
    private    INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    notes      TEXT NOT NULL,
    doc        tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', body), 'B') ||
        setweight(to_tsvector('simple', notes), 'C')) STORED
);
CREATE INDEX search_docs_doc ON search_docs USING gin (doc);

-- The index of the requests already stored (not those redacted); the same
-- statement as store/search.go's pgSearchFill.
INSERT INTO search_docs (request_id, dept, requester, state, private, created_at, title, body, notes)
SELECT r.id, r.dept, r.requester, r.state, r.private, r.created_at, r.title,
    btrim(r.body || E'\n' || coalesce((SELECT string_agg(f->>'value', E'\n')
        FROM jsonb_array_elements(r.fields::jsonb) f), ''), E' \n'),
    coalesce((SELECT string_agg(e.data::jsonb->>'text', E'\n' ORDER BY e.seq) FROM events e
        WHERE e.request_id = r.id AND e.seq > 1
        AND coalesce(e.data::jsonb->>'text', '') NOT IN ('', '[redacted]')), '')
FROM requests r WHERE r.redacted_at IS NULL;
