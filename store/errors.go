package store

import (
	"context"
	"errors"
	"fmt"

	"modernc.org/sqlite"

	"github.com/askdesk/askdesk/bot"
)

// SQLite's primary result codes for faults of the database file, not of
// askdesk. The driver may report an extended code; its low byte is one of
// these.
const (
	sqliteBusy     = 5  // another connection held the write lock past busy_timeout
	sqliteLocked   = 6  // a table was locked by another statement
	sqliteReadOnly = 8  // the file, its -wal or -shm, or their directory is not writable
	sqliteIOErr    = 10 // a read or write of the file failed (EROFS on a file system remounted read-only, EIO)
	sqliteFull     = 13 // the disk (or max_page_count) is full
	sqliteCantOpen = 14 // a file (a -wal or -shm recreated at run time) could not be opened
)

// sqliteCode returns the primary SQLite result code in err's chain, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// faultError is a storage fault a person can do nothing about but wait:
// users see its coded message, the log its cause.
type faultError struct {
	user  *bot.Error
	cause error
}

func (e *faultError) Error() string   { return e.cause.Error() }
func (e *faultError) Unwrap() []error { return []error{e.user, e.cause} }

// Fault kinds: what became of the database, as users and /healthz say it.
const (
	faultFull        = "full"
	faultReadOnly    = "read-only"
	faultBusy        = "busy"
	faultUnreachable = "unreachable"
	faultIO          = "i/o error"
)

// faultOf says which storage fault err is, or "" for any other error (a
// conflict, a bad request: not the database's fault). path is the SQLite
// file, whose file system is asked whether it went read-only: SQLite
// reports a write refused by a file system remounted read-only (ext4's
// errors=remount-ro) as an I/O error, not as SQLITE_READONLY, which it
// gives only for a file it opened read-only, moved or query_only.
func faultOf(err error, path string) string {
	if err == nil {
		return ""
	}
	switch code := sqliteCode(err); {
	case code == sqliteFull || pgCode(err) == pgDiskFull || errors.Is(err, errNoRoom):
		return faultFull
	case code == sqliteReadOnly || pgCode(err) == pgReadOnly:
		return faultReadOnly
	case code == sqliteBusy || code == sqliteLocked || pgCode(err) == pgLockNotAvailable || retryable(err) || errors.Is(err, errNotInTime):
		return faultBusy
	case code == sqliteIOErr || code == sqliteCantOpen:
		if readOnlyFS(path) {
			return faultReadOnly
		}
		if fullFS(path) {
			return faultFull
		}
		return faultIO
	case pgUnavailable(err):
		return faultUnreachable
	}
	return ""
}

// errNoRoom is the write probe's finding that the database has no room
// to grow: its file system is (nearly) full, or max_page_count is reached.
var errNoRoom = errors.New("no room for the database to grow")

// explain gives err an EINTERNAL message a user can act on when the
// database failed because the disk is full, the file is read-only, the
// database stayed locked (or the write could not start before the answer
// was due), or it could not be written or reached; outcome says what
// became of their action ("nothing was filed"). Writes run in one
// transaction, so nothing is half-stored. Any other error is returned as
// it is.
func (db *DB) explain(err error, outcome string) error {
	var msg string
	switch faultOf(err, db.path) {
	case faultFull:
		msg = "askdesk could not save that: its database is full, so " + outcome + ". Please try again later; the error has been logged for the admins."
	case faultReadOnly:
		msg = "askdesk could not save that: its database is read-only at the moment, so " + outcome + ". Please try again later; the error has been logged for the admins."
	case faultBusy:
		msg = "askdesk is busy: its database was locked by another task for too long, so " + outcome + ". Please try again in a minute."
	case faultUnreachable:
		msg = "askdesk could not save that: its database cannot be reached at the moment, so " + outcome + ". Please try again later; the error has been logged for the admins."
	case faultIO:
		msg = "askdesk could not save that: its database could not be written at the moment, so " + outcome + ". Please try again later; the error has been logged for the admins."
	default:
		return err
	}
	return &faultError{user: &bot.Error{Code: bot.EINTERNAL, Message: msg}, cause: err}
}

// checkWritable fails when SQLite opened the file read-only, which it does
// quietly when the file is not writable: askdesk would start, refuse every
// /ask, and post the same card again on each outbox pass because it cannot
// record that it did.
func (db *DB) checkWritable(ctx context.Context) error {
	// A write that changes nothing still needs a writable file.
	_, err := db.write.ExecContext(ctx, "UPDATE schema_migrations SET version = version WHERE 1 = 0")
	if err != nil {
		return openError(db.path, err)
	}
	return nil
}

// openError names the file in an error opening it, and says what to do
// when it is read-only.
func openError(path string, err error) error {
	if sqliteCode(err) == sqliteReadOnly {
		return fmt.Errorf("open store %s: the database is read-only: make it, its -wal and -shm files and their directory writable by the user askdesk runs as (%w)", path, err)
	}
	return fmt.Errorf("open store %s: %w", path, err)
}
