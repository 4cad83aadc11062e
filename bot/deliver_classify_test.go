package bot

import (
	"errors"
	"testing"
)

// pacedErr is a chat error that asks to wait, like the Slack adapter's
// pacing, around another error.
type pacedErr struct{ error }

func (pacedErr) Deferred() bool  { return true }
func (e pacedErr) Unwrap() error { return e.error }

// TestClassifyPrecedence pins which outcome wins when a chat's error says
// several things at once, as the Slack adapter's errors do (an UnsureError
// around an UnrecordedError, a paced error that is also permanent).
func TestClassifyPrecedence(t *testing.T) {
	base := errors.New("boom")
	unrec := &UnrecordedError{Err: base}
	cases := []struct {
		name       string
		err        error
		want       outcome
		wantUnsure bool
	}{
		{"Sent", nil, outSent, false},
		{"UnrecordedInsideUnsureIsSure", &UnsureError{Err: unrec}, outUnrecorded, false},
		{"Failed", base, outFailed, false},
		{"UnsureFailed", &UnsureError{Err: base}, outFailed, true},
		{"Permanent", &PermanentError{Err: base}, outPermanent, false},
		{"UnsurePermanent", &UnsureError{Err: &PermanentError{Err: base}}, outPermanent, true},
		{"DeferredBeatsPermanent", pacedErr{&PermanentError{Err: base}}, outDeferred, false},
		{"NotDeferredAfterAll", deferredNo{base}, outFailed, false},
		{"OutageBeatsDeferred", pacedErr{&OutageError{Err: base}}, outOutage, false},
		{"UnsureOutage", &UnsureError{Err: &OutageError{Err: base}}, outOutage, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, unsure := classify(c.err)
			if got != c.want || unsure != c.wantUnsure {
				t.Errorf("classify(%v) = %v, unsure %v; want %v, unsure %v", c.err, got, unsure, c.want, c.wantUnsure)
			}
		})
	}
}

type deferredNo struct{ error }

func (deferredNo) Deferred() bool  { return false }
func (e deferredNo) Unwrap() error { return e.error }
