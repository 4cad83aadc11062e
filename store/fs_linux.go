//go:build linux

package store

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// minFree is the free space below which the database's file system counts
// as full: a filing needs a few pages, a checkpoint many more.
const minFree = 4 << 20

// readOnlyFS reports whether the file system holding the database at path
// refuses writes: mounted or remounted read-only, or (ext4 after an error,
// errors=remount-ro) switched to an emergency read-only state that its
// mount flags do not show, where only a write tells: a file is created in
// the directory and removed. SQLite reports writes refused there as
// SQLITE_IOERR_WRITE (778), not as read-only. A file whose mode forbids
// writing is reported by SQLite itself, as SQLITE_READONLY.
func readOnlyFS(path string) bool {
	if path == "" {
		return false
	}
	dir := filepath.Dir(path)
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err == nil && st.Flags&stRdOnly != 0 {
		return true
	}
	f, err := os.CreateTemp(dir, ".askdesk-write-check-*")
	if err != nil {
		return errors.Is(err, syscall.EROFS)
	}
	f.Close()
	os.Remove(f.Name())
	return false
}

// fullFS reports whether the file system holding path has (nearly) no
// room left for askdesk's user.
func fullFS(path string) bool {
	if path == "" {
		return false
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err != nil {
		return false
	}
	return uint64(st.Bavail)*uint64(st.Bsize) < minFree
}

// stRdOnly is ST_RDONLY in statfs's flags.
const stRdOnly = 1
