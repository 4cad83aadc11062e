package console_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/console"
)

// :home prints the Home as text: the requester's own requests with their
// clock, a member's queue (paged past 20), a lead's standards.
func TestHomeCommand(t *testing.T) {
	f := MustOpenConsole(t, sam)
	var script strings.Builder
	for i := 1; i <= 22; i++ {
		fmt.Fprintf(&script, "finance question number %d\n", i)
	}
	f.run(script.String())
	out := f.run(":home\n")
	mustContain(t, out, "your Home", "My requests", "FIN-1", "Finance", "first response due in", "[reply, cancel]")
	mustNotContain(t, out, "My queue")

	out = f.run(":as frank\n:home\n")
	mustContain(t, out, "My queue", "[claim, reply, resolve]", "Page 1; `:home page 2` for the next.")
	if n := strings.Count(out, "[claim, reply, resolve]"); n != 20 {
		t.Errorf("first page shows %d to claim, want 20", n)
	}
	out = f.run(":home page 2\n")
	if n := strings.Count(out, "[claim, reply, resolve]"); n != 2 {
		t.Errorf("second page shows %d to claim, want 2:\n%s", n, out)
	}
	out = f.run(":as fiona\n:home\n")
	mustContain(t, out, "(you lead it)", "Standards (normal priority): first response within", "Nobody is away.")
	out = f.run(":home sideways\n")
	mustContain(t, out, "Usage: :home")
}

func TestParseHomeQuery(t *testing.T) {
	q, err := console.ParseHomeQuery("page 3 mine urgent waiting dept finance type reimbursement")
	if err != nil || q.Page != 2 || !q.Mine || q.Priority != "urgent" || q.State != "waiting" || q.Dept != "finance" || q.Type != "reimbursement" {
		t.Errorf("got %+v, %v", q, err)
	}
	for _, bad := range []string{"page", "page 0", "dept", "closed"} {
		if _, err := console.ParseHomeQuery(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
