package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/store"
)

// formDeflectFixture is deflectFixture with IT's request types: general
// (the default) and access (a required field), so that a form's type and
// fields can be checked as kept.
func formDeflectFixture(t *testing.T) (*bottest.Fixture, *bot.Request) {
	t.Helper()
	f, old := deflectFixture(t)
	dir := f.Desk.Dir()
	dir.ByName("it").Types = []*bot.RequestType{{Name: "general", DisplayName: "General", Default: true},
		{Name: "access", DisplayName: "Access", Fields: []bot.Field{{Name: "system", Label: "System", Kind: bot.FieldShortText, Required: true}}}}
	dir.Index()
	f.Desk.SetDir(dir)
	return f, old
}

// accessForm is Sam's form asking IT for access, as the intake form sends it.
func accessForm(text string) bot.Filing {
	return bot.Filing{Requester: bottest.Sam, Dept: "it", Priority: bot.Urgent, Text: text, Source: "modal",
		Type: "access", Fields: map[string]string{"system": "vpn gateway"}}
}

// TestFileOrDeflect_FormKeptWholeAndFileKeptFilesItAsSent: a form like an
// answered request is kept, not filed, with that answer; only its
// requester may file it; "File anyway" files it with its type, fields,
// priority and source, once.
func TestFileOrDeflect_FormKeptWholeAndFileKeptFilesItAsSent(t *testing.T) {
	f, old := formDeflectFixture(t)
	r, x, err := f.Desk.FileOrDeflect(f.Ctx, accessForm("vpn token expired again"), "vpn token expired again")
	if err != nil {
		t.Fatal(err)
	}
	if r != nil || x == nil {
		t.Fatalf("filed %+v, deflected %+v; want it kept", r, x)
	}
	if len(x.Answers) != 1 || x.Answers[0].Request.ID != old.ID || x.Dept.Name != "it" {
		t.Fatalf("deflected %+v", x)
	}
	if n := len(requestsOf(t, f, bottest.Sam)); n != 1 {
		t.Fatalf("%d requests of Sam's while deflected, want the old one", n)
	}
	ref := x.Pending.Ref()
	if _, err := f.Desk.FileKept(f.Ctx, bottest.Tina, ref); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("Tina filed Sam's form: %v", err)
	}
	if _, err := f.Desk.Answered(f.Ctx, bottest.Tina, ref, old.ID+":it"); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("Tina settled Sam's form: %v", err)
	}
	if _, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, ref, "!finance"); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("a routing button filed the form elsewhere: %v", err)
	}
	filed, err := f.Desk.FileKept(f.Ctx, bottest.Sam, ref)
	if err != nil {
		t.Fatal(err)
	}
	got := filed.Request
	if got == nil || got.Dept != "it" || got.Type != "access" || got.Priority != bot.Urgent || got.Source != "modal" ||
		len(got.Fields) != 1 || got.Fields[0].Value != "vpn gateway" || got.Text != "vpn token expired again" {
		t.Fatalf("filed %+v", got)
	}
	if !strings.Contains(filed.Text, "Filed *"+got.ID+"*") {
		t.Errorf("reply %q", filed.Text)
	}
	if _, err := f.Desk.FileKept(f.Ctx, bottest.Sam, ref); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("filed twice: %v", err)
	}
	if n := len(requestsOf(t, f, bottest.Sam)); n != 2 {
		t.Errorf("%d requests of Sam's, want 2", n)
	}
}

// TestFileOrDeflect_ThisAnsweredItCountsSelfServed: "This answered it" on
// a kept form files nothing and counts a self-served question for the
// form's department; the form can no longer be filed.
func TestFileOrDeflect_ThisAnsweredItCountsSelfServed(t *testing.T) {
	f, old := formDeflectFixture(t)
	_, x, err := f.Desk.FileOrDeflect(f.Ctx, accessForm("vpn token expired again"), "vpn token expired again")
	if err != nil || x == nil {
		t.Fatalf("deflected %+v, %v", x, err)
	}
	if _, err := f.Desk.Answered(f.Ctx, bottest.Sam, x.Pending.Ref(), old.ID+":it"); err != nil {
		t.Fatal(err)
	}
	counts, err := f.DB.SelfServedCounts(f.Ctx, bottest.Tuesday10, f.Clock.Now().Add(time.Minute))
	if err != nil || counts["it"] != 1 || len(counts) != 1 {
		t.Errorf("self-served %v, %v; want it: 1", counts, err)
	}
	if _, err := f.Desk.FileKept(f.Ctx, bottest.Sam, x.Pending.Ref()); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("filed after it was answered: %v", err)
	}
	if n := len(requestsOf(t, f, bottest.Sam)); n != 1 {
		t.Errorf("%d requests of Sam's, want only the old one", n)
	}
}

// TestFileOrDeflect_FilesAtOnce: a form with nothing like it answered is
// filed at once; so is one whose search for answers fails (logged), since
// the request must not be lost; an invalid form is refused, not kept.
func TestFileOrDeflect_FilesAtOnce(t *testing.T) {
	t.Run("NothingSimilar", func(t *testing.T) {
		f, _ := formDeflectFixture(t)
		r, x, err := f.Desk.FileOrDeflect(f.Ctx, accessForm("my laptop screen is broken"), "my laptop screen is broken")
		if err != nil || x != nil || r == nil || r.Type != "access" {
			t.Fatalf("filed %+v, deflected %+v, %v", r, x, err)
		}
	})
	t.Run("SearchFails", func(t *testing.T) {
		f, _ := formDeflectFixture(t)
		f.Desk.Store = failingSearch{f.DB}
		r, x, err := f.Desk.FileOrDeflect(f.Ctx, accessForm("vpn token expired again"), "vpn token expired again")
		if err != nil || x != nil || r == nil {
			t.Fatalf("filed %+v, deflected %+v, %v", r, x, err)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		f, _ := formDeflectFixture(t)
		form := accessForm("vpn token expired again")
		form.Fields = nil
		if r, x, err := f.Desk.FileOrDeflect(f.Ctx, form, form.Text); bot.ErrorCode(err) != bot.EINVALID || r != nil || x != nil {
			t.Fatalf("filed %+v, deflected %+v, %v; want EINVALID", r, x, err)
		}
	})
}

// failingSearch is the store with its search broken.
type failingSearch struct{ *store.DB }

func (failingSearch) SearchRequests(context.Context, bot.SearchQuery, bot.SearchScope, int, int) ([]bot.SearchHit, error) {
	return nil, errors.New("search index unavailable")
}
