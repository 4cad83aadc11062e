package store

import "context"

// UnbuildSearch takes the search index away as if migrations 0017, 0021, 0023 and 0033
// had never run, so that the next Migrate builds it from the stored
// requests and saved answers.
func UnbuildSearch(db *DB) error {
	ctx := context.Background()
	for _, q := range []string{
		db.sqlFor(`DROP TABLE search_fts`, `SELECT 1`),
		`DROP TABLE search_docs`,
		`DELETE FROM schema_migrations WHERE version IN (17, 21, 23, 33)`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// MigrateSchema applies the migrations without working out search grams
// afterwards, as a Migrate stopped right after them would.
func MigrateSchema(db *DB) error {
	_, err := db.migrateSchema(context.Background())
	return err
}

// FillSearchGramsBatch works out one batch of at most limit rows' search
// grams, as fillSearchGrams does per transaction, and returns how many.
func FillSearchGramsBatch(db *DB, limit int) (int, error) {
	return db.fillSearchGramsBatch(context.Background(), limit)
}

// SearchGramsToDo is how many rows' search grams are not worked out yet.
func SearchGramsToDo(db *DB) (int, error) {
	var n int
	err := db.read.QueryRowContext(context.Background(), `SELECT count(*) FROM search_docs WHERE grams IS NULL`).Scan(&n)
	return n, err
}
