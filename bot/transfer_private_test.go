package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestTransferringAPrivateRequestTellsTheRequesterWhoCanReadIt: a private
// request keeps its privacy on transfer, so its readers move with it: IT's
// members can now read it and Finance's cannot. The requester's DM says
// so, in their language; a request that is not private keeps the old DM.
func TestTransferringAPrivateRequestTellsTheRequesterWhoCanReadIt(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"", "<@U0FIONA> transferred *FIN-1* (why was my pay short " + secret + ") to IT, who will take it from here. It stays private, so from now on IT's members and leads can read what you wrote, and Finance no longer can."},
		{"zh-Hans", "这仍是私密请求：从现在起，IT的成员和负责人可以看到你写的内容，"},
	} {
		t.Run("Lang"+tc.lang, func(t *testing.T) {
			f := newFixture(t)
			withTypes(t, f)
			if tc.lang != "" {
				dir := f.Desk.Dir()
				dir.People[sam].Lang = tc.lang
				f.Desk.SetDir(dir)
			}
			r := f.Desk.Command(f.Ctx, sam, "finance payroll why was my pay short "+secret+" employee=emp-1").Request
			if r == nil || !r.Private {
				t.Fatalf("not filed private: %+v", r)
			}
			f.Sent(t)
			f.Do(t, fiona, bot.ActTransfer, r.ID, "it")
			var dm string
			for _, m := range f.Sent(t) {
				if m.To == sam && m.DM {
					dm += m.Text
				}
			}
			if !strings.Contains(dm, tc.want) {
				t.Fatalf("the requester's DM does not say who can read it now:\n%s\nwant %q", dm, tc.want)
			}
			if st := f.command(t, ivan, "status "+r.ID); !strings.Contains(st, secret) {
				t.Errorf("IT cannot read what it now owns:\n%s", st)
			}
			if st := f.command(t, frank, "status "+r.ID); strings.Contains(st, secret) {
				t.Errorf("Finance still reads it after the transfer:\n%s", st)
			}
		})
	}
	t.Run("NotPrivate", func(t *testing.T) {
		f := newFixture(t)
		f.File(t, sam, "finance", "numbers")
		f.Sent(t)
		f.Do(t, fiona, bot.ActTransfer, "FIN-1", "it")
		for _, m := range f.Sent(t) {
			if m.To == sam && strings.Contains(m.Text, "private") {
				t.Fatalf("a request that is not private is called private: %s", m.Text)
			}
		}
	})
}
