package console_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/console"
)

// TestPlainRendersTheDesksText: the console shows the desk's text as
// written, a person by name, with nothing to un-escape.
func TestPlainRendersTheDesksText(t *testing.T) {
	dir := &bot.Directory{People: map[string]*bot.Person{"U0SAM": {Name: "sam"}}}
	for _, tt := range []struct{ name, in, want string }{
		{"CharactersAsTyped", "a &amp; b <c> & d", "a &amp; b <c> & d"},
		{"Mention", "claimed by " + bot.Mention("U0SAM"), "claimed by @sam"},
		{"Channel", "in " + bot.ChannelRef("C0FIN"), "in <#C0FIN>"},
		{"Link", bot.Link("https://x.example", "Open FIN-1's card"), "<https://x.example|Open FIN-1's card>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := console.Plain(dir, tt.in); got != tt.want {
				t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
