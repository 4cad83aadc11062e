package slacktest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

func TestSign(t *testing.T) {
	var vectors []struct {
		Secret    string `json:"secret"`
		Timestamp string `json:"timestamp"`
		Body      string `json:"body"`
		Signature string `json:"signature"`
		Valid     bool   `json:"valid"`
	}
	if err := json.Unmarshal(ReadTestdata(t, "signing_vectors.json"), &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors) == 0 {
		t.Fatal("no vectors")
	}
	for i, v := range vectors {
		sec, err := strconv.ParseInt(v.Timestamp, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ts, sig := slacktest.Sign(v.Secret, time.Unix(sec, 0), []byte(v.Body))
		if ts != v.Timestamp {
			t.Errorf("vector %d: timestamp = %q, want %q", i, ts, v.Timestamp)
		}
		if got := sig == v.Signature; got != v.Valid {
			t.Errorf("vector %d: signature %q matches published %q: %v, want %v", i, sig, v.Signature, got, v.Valid)
		}
	}
}

// TestSignSlackGoVerifies checks slack-go's verifier accepts what Sign
// makes, and that a stale timestamp is refused.
func TestSignSlackGoVerifies(t *testing.T) {
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	body := []byte("token=x&command=%2Fask&text=finance+help")

	req, _ := http.NewRequest(http.MethodPost, "http://bot.example/slack/commands", nil)
	slacktest.SignRequest(req, secret, time.Now(), body)
	sv, err := slack.NewSecretsVerifier(req.Header, secret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := sv.Ensure(); err != nil {
		t.Errorf("Ensure: %v", err)
	}

	slacktest.SignRequest(req, secret, time.Now().Add(-6*time.Minute), body)
	if _, err := slack.NewSecretsVerifier(req.Header, secret); err == nil {
		t.Error("a six-minute-old signature was accepted")
	}
}
