package store

// SetStandardMarkBatchForTest sets how many parts one transaction of
// SetPartStandard marks, and returns a func that puts it back.
func SetStandardMarkBatchForTest(n int) (restore func()) {
	old := standardMarkBatch
	standardMarkBatch = n
	return func() { standardMarkBatch = old }
}
