package catalog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/catalog"
)

// typedTOML is the company with a Finance reimbursement type whose normal
// first-response target is 1h, and a private payroll type.
var typedTOML = strings.Replace(companyTOML, "\n[[department]]\nname = \"it\"", `
[[department.types]]
name = "general"
default = true

[[department.types]]
name = "reimbursement"
sla.normal = { first_response = "1h", resolution = "1d" }

[[department.types.fields]]
name = "amount"
kind = "number"
required = true

[[department.types]]
name = "payroll"
private = true

[[department]]
name = "it"`, 1)

// TestTypesKeptByCatalogue: request types published in the catalogue are
// in force as the file gave them, and a change to a type's targets applies
// to requests filed after it: an earlier reimbursement keeps its type's
// 1h, a later one gets 2h.
func TestTypesKeptByCatalogue(t *testing.T) {
	engines(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := openDB(t, url)
		o := open(t, db, parse(t, typedTOML), catalog.FromFile)
		fin := o.desk.Dir().ByName("finance")
		if fin == nil || len(fin.Types) != 3 || !fin.Type("payroll").Private || fin.Type("reimbursement").Field("amount") == nil {
			t.Fatalf("types in force: %+v", fin)
		}
		file := func(text string) *bot.Request {
			t.Helper()
			r, err := o.desk.File(ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "reimbursement", Text: text,
				Fields: map[string]string{"amount": "12"}, Source: "test"})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		before := file("taxi")
		if want := monday10.Add(time.Hour); !before.FirstResponseDue.Equal(want) {
			t.Fatalf("first response due %v, want %v (the type's 1h)", before.FirstResponseDue, want)
		}
		changed := parse(t, strings.Replace(typedTOML, `first_response = "1h", resolution = "1d"`, `first_response = "2h", resolution = "1d"`, 1))
		pub, err := o.cat.ApplyFile(ctx, changed, "more time for receipts", false)
		if err != nil || len(pub) != 1 || pub[0].Dept != "finance" {
			t.Fatalf("apply: %+v, %v", pub, err)
		}
		after := file("hotel")
		if want := monday10.Add(2 * time.Hour); !after.FirstResponseDue.Equal(want) {
			t.Fatalf("filed after the change: due %v, want %v", after.FirstResponseDue, want)
		}
		// The earlier one, changed again (a reply that is no response: its
		// requester's), keeps its revision's type target.
		o.clock.Advance(10 * time.Minute)
		if _, err := o.desk.Do(ctx, bot.Act{Actor: sam, Action: bot.ActReply, ID: before.ID, Text: "receipt attached"}); err != nil {
			t.Fatal(err)
		}
		stored, err := db.Request(ctx, before.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := monday10.Add(time.Hour); !stored.FirstResponseDue.Equal(want) {
			t.Fatalf("the earlier reimbursement after a change: due %v, want %v (its revision's 1h)", stored.FirstResponseDue, want)
		}
	})
}
