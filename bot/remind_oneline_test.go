package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// sweepHourly sweeps at every whole hour from the fixture's clock to end
// (New York time) and returns, for each sweep that sent anything, what
// each recipient was sent, keyed by the sweep's time.
func sweepHourly(t *testing.T, f *fixture, end string) (sweeps []time.Time, sent [][]bot.Message) {
	t.Helper()
	stop := at(t, mustZone(t, "America/New_York"), end)
	for now := f.Clock.Now().Truncate(time.Hour).Add(time.Hour); !now.After(stop); now = now.Add(time.Hour) {
		f.Clock.Set(now)
		f.sweep(t)
		var msgs []bot.Message
		for _, m := range f.Sent(t) {
			if m.CardFor == "" {
				msgs = append(msgs, m)
			}
		}
		if len(msgs) > 0 {
			sweeps, sent = append(sweeps, now), append(sent, msgs)
		}
	}
	return sweeps, sent
}

// linesAbout returns the reminder lines about id sent to to.
func linesAbout(msgs []bot.Message, to, id string) []string {
	var out []string
	for _, m := range msgs {
		if m.To != to {
			continue
		}
		for _, l := range strings.Split(m.Text, "\n") {
			if strings.Contains(l, "*"+id+"*") {
				out = append(out, l)
			}
		}
	}
	return out
}

// TestRemindOneLinePerRequestAcrossDays: FIN-1 (normal: first response 4h,
// resolution 2 business days), filed Tue 24 Nov 10:00 and never answered.
// Its first response breaches Tue 15:00 and is nudged daily at 16:00; its
// resolution breaches Fri 27 Nov 10:00 (Thursday is Thanksgiving). Swept
// hourly for a week, the queue hears of FIN-1 in at most one line a day
// after the first breach, at the first-response clock's time, and from
// Friday on that line mentions the resolution clock as overdue too: never
// a line of its own ("resolution overdue since Fri 10:00") on another hour.
func TestRemindOneLinePerRequestAcrossDays(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00 New York
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	sweeps, sent := sweepHourly(t, f, "2026-12-02 18:00")
	ny := mustZone(t, "America/New_York")
	perDay := map[string][]string{}
	for i, msgs := range sent {
		lines := linesAbout(msgs, "#finance", "FIN-1")
		if len(lines) > 1 {
			t.Errorf("sweep at %s: %d lines about FIN-1 to the queue:\n%s", sweeps[i].In(ny), len(lines), strings.Join(lines, "\n"))
		}
		for _, l := range lines {
			day := sweeps[i].In(ny).Format("Mon 2 Jan")
			perDay[day] = append(perDay[day], sweeps[i].In(ny).Format("15:04")+" "+l)
		}
	}
	for _, day := range []string{"Wed 25 Nov", "Fri 27 Nov", "Mon 30 Nov", "Tue 1 Dec", "Wed 2 Dec"} {
		lines := perDay[day]
		if len(lines) != 1 {
			t.Errorf("%s: %d lines about FIN-1 to the queue, want 1:\n%s", day, len(lines), strings.Join(lines, "\n"))
			continue
		}
		l := lines[0]
		if !strings.HasPrefix(l, "16:00 ") || !strings.Contains(l, "first response overdue by") {
			t.Errorf("%s: the line is not the first-response nudge at 16:00:\n%s", day, l)
		}
		if day != "Wed 25 Nov" && !strings.Contains(l, "; also resolution overdue") {
			t.Errorf("%s: the line does not mention the overdue resolution clock:\n%s", day, l)
		}
		if day == "Wed 25 Nov" && !strings.Contains(l, "; also resolution due by") {
			// Wed 16:00: the resolution clock has used 13h of its 16h, past
			// its warnings, which this line speaks for.
			t.Errorf("%s: the line does not mention the resolution clock, past its warning:\n%s", day, l)
		}
	}
	// Tuesday's breach (15:00): the resolution clock, 4h of 16h, is not news.
	for _, l := range perDay["Tue 24 Nov"] {
		if strings.Contains(l, "; also") {
			t.Errorf("Tue 24 Nov: a line mentions a resolution clock far from its warnings:\n%s", l)
		}
	}
	if n := len(perDay["Thu 26 Nov"]); n != 0 {
		t.Errorf("Thanksgiving: %d lines", n)
	}
}

// TestRemindBothClocksInOneSweepOneLine: after three days without a sweep
// both of FIN-1's clocks owe the queue their breach and nudges; the sweep
// sends one line, spoken by the clock further past its target (the first
// response: far more than its 4h), mentioning the resolution clock.
func TestRemindBothClocksInOneSweepOneLine(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	f.at(t, "2026-11-27 11:30") // Fri: first response 13h 30m over its 4h; resolution 1h 30m over its 2 days
	f.sweep(t)
	var msgs []bot.Message
	for _, m := range f.Sent(t) {
		if m.CardFor == "" {
			msgs = append(msgs, m)
		}
	}
	lines := linesAbout(msgs, "#finance", "FIN-1")
	if len(lines) != 1 {
		t.Fatalf("%d lines about FIN-1 to the queue, want 1:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	l := lines[0]
	if i, j := strings.Index(l, "first response overdue by"), strings.Index(l, "; also resolution overdue by 1h 30m"); i < 0 || j < i {
		t.Errorf("want the first response to speak and the resolution to be mentioned:\n%s", l)
	}
}

// TestRemindResolutionSpeaksOnceAnswered: once FIN-1 gets its first
// response (Mon 30 Nov 11:30, a claim), the resolution clock, overdue since
// Friday, takes over: frank hears of it once a day at its own nudge time
// (11:00, an hour after its breach Fri 10:00), with no line at the claim for
// the nudge of Mon 11:00 it left to the first-response clock.
func TestRemindResolutionSpeaksOnceAnswered(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	sweeps, sent := sweepHourly(t, f, "2026-11-30 11:00")
	for i, msgs := range sent {
		for _, l := range linesAbout(msgs, "#finance", "FIN-1") {
			if strings.Contains(l, "(numbers): resolution") {
				t.Errorf("at %s, before the answer, the resolution clock spoke for itself:\n%s", sweeps[i], l)
			}
		}
	}
	f.at(t, "2026-11-30 11:30")
	f.Do(t, frank, bot.ActClaim, "FIN-1")
	f.Sent(t)
	sweeps, sent = sweepHourly(t, f, "2026-12-02 18:00")
	ny := mustZone(t, "America/New_York")
	var got []string
	for i, msgs := range sent {
		for _, l := range linesAbout(msgs, frank, "FIN-1") {
			got = append(got, sweeps[i].In(ny).Format("Mon 15:04")+" "+l)
		}
		if l := linesAbout(msgs, "#finance", "FIN-1"); len(l) > 0 {
			t.Errorf("the queue still hears of a claimed request:\n%s", strings.Join(l, "\n"))
		}
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "Tue 11:00 ") || !strings.HasPrefix(got[1], "Wed 11:00 ") {
		t.Fatalf("frank's lines about FIN-1, want Tue and Wed at 11:00:\n%s", strings.Join(got, "\n"))
	}
	for _, l := range got {
		if !strings.Contains(l, "resolution overdue by") || strings.Contains(l, "first response") {
			t.Errorf("want the resolution clock alone:\n%s", l)
		}
	}
}
