package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/report"
)

// profiles is a chat's profile field per person.
type profiles map[string]string

func (p profiles) ProfileDept(_ context.Context, user string) (string, error) { return p[user], nil }

// TestMapPlacesRequestersWithoutPeopleTable: with no [people] table, the
// map still says who asked whom: a department's staff are its people, a
// profile names the department of the others, and each request keeps the
// department its requester was in when they filed it; whoever nothing
// places shows as "unknown department", with how to fix it.
func TestMapPlacesRequestersWithoutPeopleTable(t *testing.T) {
	f := newFixture(t)
	dir := testDir(t)
	dir.People = nil // nobody listed
	dir.Index()
	f.Desk.SetDir(dir)
	const lena, omar = "U0LENA", "U0OMAR" // in no department's staff
	prof := profiles{lena: "Legal", omar: ""}
	f.Desk.Profiles = prof
	f.File(t, ivan, "finance", "budget for the new laptops") // IT staff
	f.File(t, lena, "finance", "contract fees")              // Legal, from her profile
	f.File(t, omar, "it", "printer")                         // nothing says
	prof[lena] = "Facilities"                                // she moves; her request stays Legal's
	now := f.Clock.Now().Add(time.Hour)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	m, err := report.ComputeMap(f.Ctx, f.DB, f.Desk.Dir(), report.Period{First: day.AddDate(0, 0, -1), Last: day}, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range m.Pairs {
		got = append(got, m.Label(p.From)+"→"+m.Label(p.To))
	}
	if want := "IT→Finance Legal→Finance unknown department→IT"; strings.Join(got, " ") != want {
		t.Fatalf("pairs %q, want %q", strings.Join(got, " "), want)
	}
	text := m.SlackText("test")
	for _, want := range []string{"• Finance: IT, 1 of 2 requests", "_1 request came from people askdesk could not place in a department", "`[slack] department_field`"} {
		if !strings.Contains(text, want) {
			t.Errorf("/ask map lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "No department asked another") {
		t.Errorf("/ask map says nobody asked anyone:\n%s", text)
	}
}
