package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestAskDeptsShowsQuality: serve wires the quality figures into /ask
// depts. Finance publishes 90% right first time and 4.2; Sam files two
// requests, Frank resolves both from their cards, and Sam rates them from
// his DM: FIN-1 5 (right first time), FIN-2 2 (not). So 1 of 2 = 50%,
// below 90%; the average (5 + 2) / 2 = 3.5, below 4.2.
func TestAskDeptsShowsQuality(t *testing.T) {
	h := newHarness(t, false, func(so *serverOptions) {
		so.Dir.ByName("finance").Quality = bot.QualityTarget{RightFirstTime: 90, Satisfaction: 4.2}
	})
	for _, text := range []string{"finance one", "finance two"} {
		if code, body := h.slash(sam, text); code != http.StatusOK {
			t.Fatalf("/ask %s: %d %s", text, code, body)
		}
	}
	h.deliver()
	h.resolveAndRate("FIN-1", 5)
	h.resolveAndRate("FIN-2", 2)
	code, body := h.slash(sam, "depts")
	var reply struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal([]byte(body), &reply); code != http.StatusOK || err != nil {
		t.Fatalf("/ask depts: %d %s (%v)", code, body, err)
	}
	want := "Quality over the last 30 days: right first time 50% (1 of 2), below the 90% target · satisfaction 3.5 / 5 from 2 ratings, below the 4.2 target"
	if !strings.Contains(reply.Text, want) {
		t.Errorf("/ask depts lacks %q:\n%s", want, reply.Text)
	}
}

// TestManageQualityTarget: a lead publishes a quality target through the
// catalogue (/ask manage … set, as in the console), refused first with
// check-config's words when it is not a percentage; /ask depts shows it at
// once.
func TestManageQualityTarget(t *testing.T) {
	h := newHarness(t, false, withSlackCatalogue(t))
	text := func(user, cmd string) string {
		t.Helper()
		code, body := h.slash(user, cmd)
		var reply struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal([]byte(body), &reply); code != http.StatusOK || err != nil {
			t.Fatalf("/ask %s: %d %s (%v)", cmd, code, body, err)
		}
		return reply.Text
	}
	if got := text(fiona, "manage finance set right_first_time 120% -- the essay's standard"); !strings.Contains(got, `"120%" is not a percentage from 1% to 100%`) {
		t.Errorf("a bad target: %s", got)
	}
	text(fiona, "manage finance set right_first_time 85% -- the essay's standard")
	text(fiona, "manage finance set satisfaction 4 -- and a rating to match")
	want := "Quality over the last 30 days: right first time – (nothing resolved), target 85% · satisfaction no ratings, target 4"
	if got := text(sam, "depts"); !strings.Contains(got, want) {
		t.Errorf("/ask depts lacks %q:\n%s", want, got)
	}
}
