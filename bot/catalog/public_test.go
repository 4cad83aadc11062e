package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/catalog"
)

// TestPublicRequestsSetInTheCatalogue: a lead makes Finance's requests
// public with `/ask manage finance set public_requests true`, which puts
// it in force at once; a value that is not true or false is refused.
func TestPublicRequestsSetInTheCatalogue(t *testing.T) {
	engines(t, func(t *testing.T, url string) {
		ctx := context.Background()
		o := open(t, openDB(t, url), parse(t, companyTOML), catalog.FromSlack)
		if o.desk.Dir().ByName("finance").PublicRequests {
			t.Fatal("public before anyone said so")
		}
		if text := o.desk.Command(ctx, fiona, "manage finance set public_requests maybe -- share").Text; !strings.Contains(text, "Not saved") || !strings.Contains(text, "bool") {
			t.Errorf("a bad value: %s", text)
		}
		if o.desk.Dir().ByName("finance").PublicRequests {
			t.Fatal("a bad value made it public")
		}
		text := o.desk.Command(ctx, fiona, "manage finance set public_requests true -- share our answers").Text
		if !o.desk.Dir().ByName("finance").PublicRequests {
			t.Fatalf("not in force after %q", text)
		}
		if o.desk.Dir().ByName("it").PublicRequests {
			t.Error("IT became public too")
		}
		if text := o.desk.Command(ctx, fiona, "manage finance set public_requests false -- private again").Text; o.desk.Dir().ByName("finance").PublicRequests {
			t.Errorf("still public after %q", text)
		}
	})
}
