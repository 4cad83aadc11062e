package slackapp_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// TestMrkdwnRendersTheDesksText pins how the desk's text becomes Slack
// mrkdwn: plain characters escaped, a '>' starting a line kept as the quote,
// and the tokens drawn as Slack's references.
func TestMrkdwnRendersTheDesksText(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"Plain", "a & b <c> d", "a &amp; b &lt;c&gt; d"},
		{"BoldAndCode", "*FIN-1* · `/ask <dept>`", "*FIN-1* · `/ask &lt;dept&gt;`"},
		{"Quote", "replied:\n> x > y\n>> z", "replied:\n> x &gt; y\n>&gt; z"},
		{"QuoteAtStart", "> x", "> x"},
		{"NoQuoteAfterAToken", bot.Mention("U0SAM") + "> x", "<@U0SAM>&gt; x"},
		{"Mention", "claimed by " + bot.Mention("U0SAM"), "claimed by <@U0SAM>"},
		{"SystemActor", "closed by " + bot.Mention(bot.SystemActor), "closed by askdesk"},
		{"Channel", "in " + bot.ChannelRef("C0FIN") + " and " + bot.ChannelRef("#it"), "in <#C0FIN> and #it"},
		{"Link", bot.Link("https://x.example/a?b=1&c=2", "Open <FIN-1>'s card"), "<https://x.example/a?b=1&c=2|Open &lt;FIN-1&gt;'s card>"},
		{"LinkURLCannotEndEarly", bot.Link("https://x.example/|<!channel>", "x"), "<https://x.example/%7C%3C!channel%3E|x>"},
		{"CutToken", "by " + bot.Mention("U0SAM")[:4], "by "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := slackapp.Mrkdwn(tt.in); got != tt.want {
				t.Errorf("Mrkdwn(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestMrkdwnUserTextCannotForgeAToken: token runes typed by a user are
// dropped by bot.Escape, so they draw no mention, channel or link.
func TestMrkdwnUserTextCannotForgeAToken(t *testing.T) {
	forged := "\uE000U0EVIL\uE004 \uE001C0EVIL\uE004 \uE002http://evil\uE003bank\uE004"
	got := slackapp.Mrkdwn("From sam: " + bot.Escape(forged))
	if want := "From sam: U0EVIL C0EVIL http://evilbank"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
