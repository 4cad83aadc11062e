-- PostgreSQL's copy of migrations/0033_search_grams.sql: Chinese words in
-- search. The 'simple' parser takes a run of Han characters for one word,
-- so grams holds the Han of a request's title, text and notes as
-- cjk.Bigrams writes it (the overlapping pairs of each run and its last
-- character), indexed by its own tsvector under a GIN index on the
-- expression, which the store's queries name as written here
-- (store/search_grams.go). A request with no Han has grams ''.
--
-- Nothing here rewrites the table: a column added with a constant default
-- is only recorded (the rows read it without being written), only the
-- rows that may hold Han are written (marked NULL, worked out by the store
-- after migrating, fillSearchGrams), and the indexes are built beside it.
-- The default is dropped at once, so a row inserted without grams is NULL,
-- to be worked out too.
ALTER TABLE search_docs ADD COLUMN grams TEXT DEFAULT '';
UPDATE search_docs SET grams = NULL
WHERE title || E'\n' || body || E'\n' || notes ~ '[⺀-鿿豈-﫿𠀀-𲎯]';
ALTER TABLE search_docs ALTER COLUMN grams DROP DEFAULT;
CREATE INDEX search_docs_grams ON search_docs USING gin (to_tsvector('simple', grams));
CREATE INDEX search_docs_grams_todo ON search_docs (request_id) WHERE grams IS NULL;
