package slackapp_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// TestUserLocaleFromUsersInfo: the adapter learns a user's Slack locale
// from users.info (include_locale), answers from its cache only (an unknown
// user is looked up in the background), and the desk then writes to them
// in it.
func TestUserLocaleFromUsersInfo(t *testing.T) {
	ctx := context.Background()
	dir := MustExampleDirectory(t)
	clock := bot.NewManualClock(tuesday(t))
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	fake.AddUserLocale(sam, "sam", "Sam Seller", "Asia/Shanghai", "zh-CN")
	fake.AddUser(frank, "frank", "Frank Finance", "America/New_York")
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "askdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	app := slackapp.New(slackapp.Config{BotToken: "xoxb-locale", SigningSecret: "s", APIURL: fake.URL}, dir, db, clock, nil)
	desk := bot.New(dir, db, app, clock, nil)
	desk.Locales = app
	app.SetDesk(desk)

	// Each first ask finds the cache empty and starts a lookup; the
	// answer does not wait for it.
	if got := desk.Printer(sam, nil).Lang(); got != "en" {
		t.Errorf("first contact reads %s, want the company default en", got)
	}
	if l, ok := app.UserLocale(frank); ok {
		t.Errorf("UserLocale before any lookup = %q, want none (cache only)", l)
	}
	if err := app.Wait(ctx); err != nil { // the background lookups
		t.Fatal(err)
	}
	if l, ok := app.UserLocale(sam); !ok || l != "zh-CN" {
		t.Errorf("UserLocale(sam) = %q, %v; want zh-CN from users.info", l, ok)
	}
	if l, ok := app.UserLocale(frank); ok {
		t.Errorf("UserLocale(frank) = %q; users.info gave no locale", l)
	}
	calls := len(fake.CallsTo("users.info"))
	if calls != 2 {
		t.Errorf("users.info called %d times, want 2 (one per user)", calls)
	}
	for _, c := range fake.CallsTo("users.info") {
		if c.Params.Get("include_locale") != "true" {
			t.Errorf("users.info without include_locale: %v", c.Params)
		}
	}
	if got := desk.Printer(sam, nil).Lang(); got != "zh-Hans" {
		t.Errorf("after the lookup sam reads %s, want zh-Hans", got)
	}
	app.UserLocale(sam)
	if err := app.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.CallsTo("users.info")); n != calls {
		t.Errorf("a cached locale called users.info again (%d calls)", n)
	}
}
