package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// The public part of the search scope (store/search.go): saved answers and
// public departments' requests, found by anyone; never a private request.

const outsider = "U0OUTSID1" // works nowhere, filed nothing

func TestSearchPublicRequests(t *testing.T) { eachBackend(t, testSearchPublic) }

func testSearchPublic(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	saved := mustCreate(t, db, "IT", "it", tess, "vpn drops every hour", t0, time.Time{}) // IT-1: saved answer
	say(t, db, saved, bot.EvResolved, ivan, t0.Add(h), "renew the vpn certificate")
	mustCreate(t, db, "IT", "it", tess, "vpn slow at home", t0.Add(h), time.Time{})               // IT-2: not saved
	mustCreate(t, db, "FIN", "finance", sam, "vpn for the bank portal", t0.Add(2*h), time.Time{}) // FIN-1: a public department's
	priv := createTyped(t, db, "FIN", "finance", sam, "vpn grievance", t0.Add(3*h), true)         // FIN-2: private, of a public department
	hr := createTyped(t, db, "HR", "hr", sam, "vpn salary secret", t0.Add(4*h), true,             // HR-1: private, saved all the same
		bot.FieldValue{Name: "note", Value: "vpn bonus figures"})
	say(t, db, hr, bot.EvResolved, fiona, t0.Add(5*h), "vpn answer about salary")
	say(t, db, priv, bot.EvResolved, fiona, t0.Add(5*h), "vpn private answer")
	for _, r := range []*bot.Request{saved, hr, priv} {
		if err := db.SaveAnswer(ctx, r.ID, ivan, t0.Add(6*h)); err != nil {
			t.Fatal(err)
		}
	}
	public := bot.SearchScope{User: outsider, PublicDepts: []string{"finance", "hr"}}
	for _, c := range []struct {
		name  string
		q     bot.SearchQuery
		scope bot.SearchScope
		want  []string
	}{
		{"OutsiderFindsSavedAnswer", words("vpn"), bot.SearchScope{User: outsider}, []string{"IT-1"}},
		{"OutsiderFindsByResolutionNote", words("certificate"), bot.SearchScope{User: outsider}, []string{"IT-1"}},
		{"OutsiderFindsPublicDepartment", words("vpn"), public, []string{"FIN-1", "IT-1"}},
		{"NeverPrivateText", words("salary bonus grievance"), public, nil},
		{"NeverPrivateAnyWord", bot.SearchQuery{Words: []string{"salary", "bonus", "grievance", "private"}, AnyWords: true}, public, nil},
		{"NoWordsPublicToo", bot.SearchQuery{States: []bot.State{bot.Resolved}}, bot.SearchScope{User: outsider}, []string{"IT-1"}},
		{"FromFilterOverPublic", bot.SearchQuery{Words: []string{"vpn"}, Requester: sam}, public, []string{"FIN-1"}},
		{"RequesterOwnAndSaved", words("vpn"), bot.SearchScope{User: tess}, []string{"IT-1", "IT-2"}},
		{"RequesterOwnPrivateAndSaved", words("vpn"), bot.SearchScope{User: sam}, []string{"FIN-1", "FIN-2", "HR-1", "IT-1"}},
		{"StaffTheirsAndSaved", words("vpn"), bot.SearchScope{User: fiona, Depts: []string{"hr"}}, []string{"HR-1", "IT-1"}},
		{"AdminNotOthersPrivate", words("vpn"), everyone, []string{"FIN-1", "IT-1", "IT-2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := search(t, db, c.q, c.scope, 0, 10)
			sortStrings(got)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}

	// Paging over the two parts (their own, the public) is one order.
	all := search(t, db, words("vpn"), bot.SearchScope{User: tess, PublicDepts: []string{"finance"}}, 0, 10)
	var paged []string
	for off := 0; off < 4; off++ {
		paged = append(paged, search(t, db, words("vpn"), bot.SearchScope{User: tess, PublicDepts: []string{"finance"}}, off, 1)...)
	}
	if len(all) != 3 || !reflect.DeepEqual(paged, all) {
		t.Errorf("one at a time %v, all at once %v; want the same three", paged, all)
	}

	t.Run("UnsavedIsNoLongerPublic", func(t *testing.T) {
		if err := db.UnsaveAnswer(ctx, saved.ID); err != nil {
			t.Fatal(err)
		}
		if got := search(t, db, words("vpn"), bot.SearchScope{User: outsider}, 0, 10); got != nil {
			t.Errorf("after unsaving, an outsider finds %v", got)
		}
		if got, err := db.SavedAnswers(ctx, []string{saved.ID}); err != nil || got[saved.ID] {
			t.Errorf("still saved: %v, %v", got, err)
		}
		if err := db.SaveAnswer(ctx, saved.ID, ivan, t0.Add(7*h)); err != nil {
			t.Fatal(err)
		}
		if got := search(t, db, words("vpn"), bot.SearchScope{User: outsider}, 0, 10); !reflect.DeepEqual(got, []string{"IT-1"}) {
			t.Errorf("saved again, an outsider finds %v, want [IT-1]", got)
		}
	})
}

// TestSearchPublicAfterMigration: the migration marks the answers saved
// before it (not a private one), and so does the index rebuilt by a copy.
func TestSearchPublicAfterMigration(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		r := mustCreate(t, db, "IT", "it", tess, "printer offline", t0, time.Time{})
		say(t, db, r, bot.EvResolved, ivan, t0.Add(time.Hour), "power cycle the printer")
		p := createTyped(t, db, "HR", "hr", sam, "printer of payslips", t0, true)
		for _, id := range []string{r.ID, p.ID} {
			if err := db.SaveAnswer(ctx, id, ivan, t0); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.UnbuildSearch(db); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := search(t, db, words("printer"), bot.SearchScope{User: outsider}, 0, 10); !reflect.DeepEqual(got, []string{"IT-1"}) {
			t.Errorf("after the migration an outsider finds %v, want [IT-1]", got)
		}
	})
}
