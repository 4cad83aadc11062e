package bot

import (
	"context"
	"testing"
	"time"
)

// TestProfileWaitLeavesTimeForTheFiling: the profile read while filing
// takes at most a third of what is left before the answer is due, so the
// filing's own write still makes the acknowledgement.
func TestProfileWaitLeavesTimeForTheFiling(t *testing.T) {
	ctx := WithAnswerBy(context.Background(), time.Now().Add(900*time.Millisecond))
	if got := profileBudget(ctx); got > 300*time.Millisecond || got <= 0 {
		t.Errorf("profile budget with 900 ms left: %v, want at most 300 ms", got)
	}
	if got := profileBudget(context.Background()); got != profileWait {
		t.Errorf("profile budget with no answer due: %v, want %v", got, profileWait)
	}
}
