package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
)

const pat = bottest.Pat

// transferFixture is the test company with Purchasing (London), its clock
// at Mon 23 Nov 2026 10:00 in New York.
func transferFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.Desk.SetDir(bottest.WithPurchasing(t, testDir(t)))
	f.at(t, "2026-11-23 10:00")
	return f
}

// cardTo is the text of the last card posted or redrawn in channel.
func cardTo(msgs []bot.Message, channel string) string {
	text := ""
	for _, m := range msgs {
		if m.CardFor != "" && m.To == channel {
			text = m.Text
		}
	}
	return text
}

// TestTransferStartsReceivingDepartmentsClocks: FIN-1 is filed Monday 10:00
// New York with Finance, answered at 11:30, and transferred to Purchasing
// on Wednesday at 14:00 New York, 19:00 in London, after Purchasing's
// hours. Purchasing's clocks start at the transfer on its own calendar:
// its day opens Thursday 09:00, so its first response (2h) is due Thursday
// 11:00 and its resolution (1 working day) Thursday 17:00, London time.
// Measured from the filing, as before, the first response had been due
// Monday 17:00 London and was overdue the moment Purchasing got it.
func TestTransferStartsReceivingDepartmentsClocks(t *testing.T) {
	f := transferFixture(t)
	f.File(t, sam, "finance", "a new supplier for the office chairs")
	f.at(t, "2026-11-23 11:30")
	f.Do(t, frank, bot.ActReply, "FIN-1", "looking")
	f.Sent(t)
	f.at(t, "2026-11-25 14:00")
	f.Do(t, frank, bot.ActTransfer, "FIN-1", "purchasing")

	london := mustZone(t, "Europe/London")
	r, err := f.DB.Request(f.Ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := at(t, london, "2026-11-25 19:00"); !r.HeldSince.Equal(want) {
		t.Errorf("held since %v, want the transfer, %v", r.HeldSince, want)
	}
	if want := at(t, london, "2026-11-26 11:00"); !r.FirstResponseDue.Equal(want) {
		t.Errorf("stored first response due %v, want Thu 11:00 London %v", r.FirstResponseDue.In(london), want)
	}
	if want := at(t, london, "2026-11-26 17:00"); !r.ResolutionDue.Equal(want) {
		t.Errorf("stored resolution due %v, want Thu 17:00 London %v", r.ResolutionDue.In(london), want)
	}
	if r.State != bot.Open || !r.FirstResponseAt.IsZero() {
		t.Errorf("after the transfer: state %s, first response %v; want open, nobody in Purchasing has answered", r.State, r.FirstResponseAt)
	}

	// The card in Purchasing's queue: its own clock, and the requester's
	// whole wait, Mon 10:00 to Wed 14:00 New York.
	card := cardTo(f.Sent(t), "#purchasing")
	for _, want := range []string{
		"SLA: first response due by Thu 11:00 (Europe/London), in 2h of business time",
		"Open 2 days 4 hours in all; with Purchasing since Wed 19:00",
	} {
		if !strings.Contains(card, want) {
			t.Errorf("Purchasing's card lacks %q:\n%s", want, card)
		}
	}

	// Right after the transfer nothing is overdue, so nobody is chased.
	f.at(t, "2026-11-25 14:05")
	f.sweep(t)
	if got := texts(f.Sent(t)); strings.Contains(got, "overdue") || strings.Contains(got, "Escalation") {
		t.Errorf("a sweep right after the transfer chased a breach:\n%s", got)
	}

	// Thursday 10:00 London: /ask status says both times, and Finance's part.
	f.Clock.Set(at(t, london, "2026-11-26 10:00"))
	status := f.Desk.Command(f.Ctx, pat, "/ask status FIN-1").Text
	for _, want := range []string{
		"Open 2 days 19 hours in all; with Purchasing since Wed 19:00",
		"First response due by Thu 11:00 (Europe/London), in 1h of business time",
		"Started Wed 19:00",
		"Finance held it Mon 10:00 – Wed 14:00 (America/New_York): first response met in 1h 30m of business time, within a target of 4 business hours; passed on to Purchasing",
	} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}

	// Purchasing's own breach, Thursday 11:00 London, reaches its queue.
	f.Clock.Set(at(t, london, "2026-11-26 11:30"))
	f.sweep(t)
	if got := texts(f.Sent(t)); !strings.Contains(got, "#purchasing") || !strings.Contains(got, "first response overdue") {
		t.Errorf("Purchasing's queue did not hear of its own breach:\n%s", got)
	}
}

// TestTransferBackStartsClocksAgain: a request passed from Finance to IT
// and back is Finance's again with clocks from the return: IT's part and
// Finance's first one count for nothing in Finance's running clocks.
func TestTransferBackStartsClocksAgain(t *testing.T) {
	f := transferFixture(t)
	f.File(t, sam, "finance", "numbers")
	f.Do(t, frank, bot.ActClaim, "FIN-1")
	f.at(t, "2026-11-23 12:30")
	f.Do(t, frank, bot.ActTransfer, "FIN-1", "it") // Tue 01:30 Shanghai
	sh := mustZone(t, "Asia/Shanghai")
	f.Clock.Set(at(t, sh, "2026-11-24 10:00"))
	f.Do(t, ivan, bot.ActTransfer, "FIN-1", "finance") // Mon 21:00 New York
	r, err := f.DB.Request(f.Ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	// Finance's day opens Tue 09:00; 4h of 09:00–12:00 and 13:00–18:00.
	ny := mustZone(t, "America/New_York")
	if want := at(t, ny, "2026-11-24 14:00"); r.Dept != "finance" || !r.FirstResponseDue.Equal(want) || r.Transfers != 2 {
		t.Errorf("back with %s after %d transfers, first response due %v; want finance, 2, Tue 14:00 New York", r.Dept, r.Transfers, r.FirstResponseDue.In(ny))
	}
}

func TestFormatAge(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0 minutes"},
		{time.Minute, "1 minute"},
		{5*time.Hour + 10*time.Minute, "5 hours 10 minutes"},
		{50*time.Hour + 59*time.Second, "2 days 2 hours"},
		{72*time.Hour + 5*time.Minute, "3 days"},
		{24*time.Hour + 30*time.Minute, "1 day"},
	} {
		if got := bot.FormatAge(c.d); got != c.want {
			t.Errorf("FormatAge(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
