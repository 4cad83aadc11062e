package bot_test

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

func TestLifecycle(t *testing.T) {
	f := newFixture(t)
	r := f.File(t, sam, "fin", "need the Q3 budget numbers")
	if r.ID != "FIN-1" || r.State != bot.Open || r.Dept != "finance" || r.Priority != bot.Normal {
		t.Fatalf("filed %+v", r)
	}
	// Normal: 4h first response from Tue 10:00 with lunch 12–13: Tue 15:00.
	if want := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC); !r.FirstResponseDue.Equal(want) {
		t.Errorf("first response due %s, want %s", r.FirstResponseDue, want)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Card == nil || msgs[0].To != "#finance" {
		t.Fatalf("filing sent %+v, want one card to #finance", msgs)
	}

	f.Clock.Advance(30 * time.Minute)
	r = f.Do(t, frank, bot.ActClaim, "fin-1")
	if r.State != bot.Acknowledged || r.Assignee != frank || r.FirstResponseAt.IsZero() || !r.FirstResponseDue.IsZero() {
		t.Fatalf("after claim %+v", r)
	}
	if dm := findDM(f.Sent(t), sam); dm == nil || !strings.Contains(dm.Text, "is on") {
		t.Errorf("requester not told of the claim")
	}

	f.Clock.Advance(time.Hour)
	r = f.Do(t, frank, bot.ActWait, "FIN-1", "which cost centre?")
	if r.State != bot.Waiting || !r.ResolutionDue.IsZero() || len(r.Pauses) != 1 {
		t.Fatalf("after wait %+v", r)
	}
	f.Clock.Advance(24 * time.Hour)
	r = f.Do(t, sam, bot.ActReply, "FIN-1", "CC-1234")
	if r.State != bot.Acknowledged || r.Pauses[0].End.IsZero() || r.ResolutionDue.IsZero() {
		t.Fatalf("requester's reply should resume the clock: %+v", r)
	}
	f.Clock.Advance(time.Hour)
	r = f.Do(t, frank, bot.ActResolve, "FIN-1", "numbers attached")
	if r.State != bot.Resolved || r.ResolvedAt.IsZero() || !r.NextDue().IsZero() {
		t.Fatalf("after resolve %+v", r)
	}
	r = f.Do(t, sam, bot.ActReopen, "FIN-1", "missing October")
	if r.State != bot.Reopened || r.Reopens != 1 || !r.ResolutionStart.Equal(f.Desk.Clock.Now().Truncate(time.Millisecond).UTC()) {
		t.Fatalf("after reopen %+v", r)
	}
	if !r.FirstResponseDue.IsZero() {
		t.Errorf("reopening must not restart the first-response clock")
	}
	r = f.Do(t, fiona, bot.ActTransfer, "FIN-1", "it")
	if r.Dept != "it" || r.ID != "FIN-1" || r.Assignee != "" || r.Transfers != 1 {
		t.Fatalf("after transfer %+v", r)
	}
	r = f.Do(t, ivan, bot.ActResolve, "FIN-1")
	r = f.Do(t, sam, bot.ActClose, "FIN-1")
	if r.State != bot.Closed {
		t.Fatalf("after close %+v", r)
	}

	t.Run("RebuildFromEvents", func(t *testing.T) {
		evs, err := f.DB.Events(f.Ctx, "FIN-1")
		if err != nil {
			t.Fatal(err)
		}
		rebuilt, err := bot.Rebuild(evs)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := f.DB.Request(f.Ctx, "FIN-1")
		if err != nil {
			t.Fatal(err)
		}
		// Deadlines are derived, not part of the history.
		rebuilt.FirstResponseDue, rebuilt.ResolutionDue = stored.FirstResponseDue, stored.ResolutionDue
		if !reflect.DeepEqual(rebuilt, stored) {
			t.Fatalf("rebuilt\n%+v\nstored\n%+v", rebuilt, stored)
		}
		if len(evs) != 9 {
			t.Errorf("history has %d events, want 9", len(evs))
		}
	})
}

func findDM(msgs []bot.Message, user string) *bot.Message {
	for i := range msgs {
		if msgs[i].DM && msgs[i].To == user {
			return &msgs[i]
		}
	}
	return nil
}

func TestInvalidMoves(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "a")
	f.Do(t, sam, bot.ActCancel, "FIN-1")
	for _, a := range []bot.Action{bot.ActClaim, bot.ActResolve, bot.ActCancel, bot.ActReopen, bot.ActWait} {
		_, err := f.Desk.Do(f.Ctx, bot.Act{Actor: ada, Action: a, ID: "FIN-1"})
		if bot.ErrorCode(err) != bot.ECONFLICT {
			t.Errorf("%s on a cancelled request: %v, want conflict", a, err)
		}
	}
	if _, err := f.Desk.Do(f.Ctx, bot.Act{Actor: sam, Action: bot.ActCancel, ID: "FIN-99"}); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := f.Desk.Do(f.Ctx, bot.Act{Actor: sam, Action: bot.ActCancel, ID: "banana"}); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("malformed id: %v", err)
	}
}

func TestReopenWindow(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "a")
	f.Do(t, frank, bot.ActResolve, "FIN-1")
	f.Clock.Advance(15 * 24 * time.Hour)
	_, err := f.Desk.Do(f.Ctx, bot.Act{Actor: sam, Action: bot.ActReopen, ID: "FIN-1"})
	if bot.ErrorCode(err) != bot.ECONFLICT || !strings.Contains(bot.ErrorMessage(err), "new request") {
		t.Fatalf("reopen after the window: %v", err)
	}
}

func TestReassignOnlyToStaff(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "a")
	if _, err := f.Desk.Do(f.Ctx, bot.Act{Actor: fiona, Action: bot.ActReassign, ID: "FIN-1", Target: "ivan"}); bot.ErrorCode(err) != bot.EINVALID {
		t.Fatalf("reassign to a non-member: %v", err)
	}
	r := f.Do(t, fiona, bot.ActReassign, "FIN-1", "frank")
	if r.Assignee != frank {
		t.Fatalf("assignee %q", r.Assignee)
	}
	if dm := findDM(f.Sent(t), frank); dm == nil {
		t.Errorf("new assignee not told")
	}
}

func TestConcurrentIDsAreUnique(t *testing.T) {
	f := newFixture(t)
	const n = 60
	var wg sync.WaitGroup
	ids := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dept := []string{"finance", "it"}[i%2]
			r, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: dept, Text: fmt.Sprint("req ", i)})
			if err != nil {
				errs <- err
				return
			}
			ids <- r.ID
		}()
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("duplicate ID %s", id)
		}
		seen[id] = true
	}
	for i := 1; i <= n/2; i++ {
		if !seen[fmt.Sprint("FIN-", i)] || !seen[fmt.Sprint("IT-", i)] {
			t.Fatalf("IDs are not gapless: missing number %d in %v", i, seen)
		}
	}
}

func TestConcurrentActsConflictCleanly(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "a")
	var wg sync.WaitGroup
	results := make(chan error, 2)
	for _, who := range []string{fiona, frank} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.Desk.Do(f.Ctx, bot.Act{Actor: who, Action: bot.ActResolve, ID: "FIN-1"})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	var ok, conflict int
	for err := range results {
		switch bot.ErrorCode(err) {
		case "":
			ok++
		case bot.ECONFLICT:
			conflict++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("two resolves: %d ok, %d conflicts; want 1 and 1", ok, conflict)
	}
	evs, _ := f.DB.Events(f.Ctx, "FIN-1")
	if len(evs) != 2 {
		t.Fatalf("history has %d events, want 2", len(evs))
	}
}

func TestMentionInjectionIsEscaped(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "<!channel> see <http://evil.example|the bank> & <@U0FIONA>")
	for _, m := range f.Sent(t) {
		for _, bad := range []string{"<!channel>", "<http://evil", "<@U0FIONA>"} {
			if strings.Contains(m.Text, bad) {
				t.Errorf("message to %s carries %q unescaped:\n%s", m.To, bad, m.Text)
			}
		}
		if !strings.Contains(m.Text, "&lt;!channel&gt;") || !strings.Contains(m.Text, "&amp;") {
			t.Errorf("text not escaped: %s", m.Text)
		}
	}
}
