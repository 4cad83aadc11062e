//go:build !linux

package store

// readOnlyFS and fullFS cannot tell on this system; SQLite's own codes
// still say read-only and full.
func readOnlyFS(string) bool { return false }
func fullFS(string) bool     { return false }
