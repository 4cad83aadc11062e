package store

import "context"

// UnbuildSearch takes the search index away as if migration 0017 had never
// run, so that the next Migrate builds it from the stored requests.
func UnbuildSearch(db *DB) error {
	ctx := context.Background()
	for _, q := range []string{
		db.sqlFor(`DROP TABLE search_fts`, `SELECT 1`),
		`DROP TABLE search_docs`,
		`DELETE FROM schema_migrations WHERE version = 17`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
