package bot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// rawMarkup finds what a department's name must never bring into mrkdwn:
// a special mention, or an & that is not an escape.
var rawMarkup = regexp.MustCompile(`<!|&([^algt]|$)|<[^@#]`)

// TestDepartmentNameEscapedEverywhere: a department's display name is text,
// not mrkdwn, in every message, card and reply askdesk writes with it, the
// card's notification text and ephemeral answers included. (The config
// refuses markup in names; this holds even for a directory built in code.)
func TestDepartmentNameEscapedEverywhere(t *testing.T) {
	f := newFixture(t)
	f.Desk.Dir().ByName("finance").DisplayName = "Fin & Co <!channel>"
	f.Desk.Dir().ByName("it").DisplayName = "IT <!here> & Ops"
	var texts []string
	say := func(what, s string) {
		if rawMarkup.MatchString(s) {
			t.Errorf("%s: raw markup in %q", what, s)
		}
		texts = append(texts, s)
	}
	for _, cmd := range []string{"finance budget please", "help", "list"} {
		say("/ask "+cmd, slackapp.Mrkdwn(f.Desk.Command(f.Ctx, sam, cmd).Text))
	}
	f.Do(t, frank, bot.ActClaim, "FIN-1")
	f.Do(t, frank, bot.ActReply, "FIN-1", "on it")
	f.Do(t, frank, bot.ActWait, "FIN-1", "which quarter?")
	f.Do(t, fiona, bot.ActTransfer, "FIN-1", "it")
	say("/ask status", slackapp.Mrkdwn(f.Desk.Command(f.Ctx, sam, "status FIN-1").Text))
	say("/ask queue", slackapp.Mrkdwn(f.Desk.Command(f.Ctx, ivan, "queue it").Text))
	say("refusal", slackapp.Mrkdwn(bot.ErrorMessage(f.Desk.Dir().Authorize(sam, bot.ActClaim, &bot.Request{ID: "FIN-1", Dept: "it", Requester: sam}))))
	f.Do(t, ivan, bot.ActResolve, "FIN-1", "done")
	f.File(t, sam, "finance", "another")
	say("/ask cancel", slackapp.Mrkdwn(f.Desk.Command(f.Ctx, sam, "cancel FIN-2").Text))
	for _, m := range f.Sent(t) {
		say("message to "+m.To, m.Text)
		say("change on "+m.To, m.Change)
	}
	if all := strings.Join(texts, "\n"); !strings.Contains(all, "Fin &amp; Co &lt;!channel&gt;") || !strings.Contains(all, "IT &lt;!here&gt; &amp; Ops") {
		t.Errorf("the names are not shown escaped anywhere:\n%s", all)
	}
}
