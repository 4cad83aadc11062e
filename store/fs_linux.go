//go:build linux

package store

import (
	"errors"
	"path/filepath"
	"syscall"
)

// minFree is the free space below which the database's file system counts
// as full: a filing needs a few pages, a checkpoint many more.
const minFree = 4 << 20

// readOnlyFS reports whether the file system holding the database at path
// refuses writes (mounted or remounted read-only). A file whose mode
// forbids writing is reported by SQLite itself, as SQLITE_READONLY.
func readOnlyFS(path string) bool {
	if path == "" {
		return false
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err == nil && st.Flags&stRdOnly != 0 {
		return true
	}
	return errors.Is(syscall.Access(filepath.Dir(path), 2 /* W_OK */), syscall.EROFS)
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
