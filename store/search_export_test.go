package store

import "context"

// UnbuildSearch takes the search index away as if migrations 0017 and 0021
// had never run, so that the next Migrate builds it from the stored
// requests and saved answers.
func UnbuildSearch(db *DB) error {
	ctx := context.Background()
	for _, q := range []string{
		db.sqlFor(`DROP TABLE search_fts`, `SELECT 1`),
		`DROP TABLE search_docs`,
		`DELETE FROM schema_migrations WHERE version IN (17, 21)`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
