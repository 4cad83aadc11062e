package console_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/console"
	"github.com/askdesk/askdesk/store"
)

// start is Tuesday 24 November 2026, 09:30 in New York: Finance is open,
// and Thanksgiving is two days away.
var start = time.Date(2026, 11, 24, 9, 30, 0, 0, mustZone("America/New_York"))

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Well-known people of config.example.toml.
const (
	sam   = "U0SAM0001" // requester in sales, America/Chicago
	mona  = "U0MONA001" // requester in marketing
	fiona = "U0FIONA01" // lead of finance
	frank = "U0FRANK01" // member of finance
)

// fixture is a console over the real desk: the example company, a SQLite
// file in t.TempDir() and a manual clock.
type fixture struct {
	t     testing.TB
	con   *console.Console
	clock *bot.ManualClock
	out   *bytes.Buffer
	db    *store.DB
}

// MustOpenConsole returns a console acting as user, echoing its input like a
// script read from a file.
func MustOpenConsole(tb testing.TB, user string) *fixture {
	tb.Helper()
	return mustOpenConsoleOf(tb, "config.example.toml", user, start)
}

// mustOpenConsoleOf is MustOpenConsole on the example config file of the
// repository's root, with the clock at now.
func mustOpenConsoleOf(tb testing.TB, file, user string, now time.Time) *fixture {
	tb.Helper()
	data, err := os.ReadFile("../../" + file)
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := config.Parse(file, bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("parse example config: %v", err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatalf("example directory: %v", err)
	}
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "askdesk.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })

	clock := bot.NewManualClock(now)
	out := &bytes.Buffer{}
	con := console.New(nil, clock, out, user)
	con.Desk = bot.New(dir, db, con, clock, nil)
	con.Echo = true
	return &fixture{t: tb, con: con, clock: clock, out: out, db: db}
}

// run feeds script to the console and returns what it printed.
func (f *fixture) run(script string) string {
	f.t.Helper()
	f.out.Reset()
	if err := f.con.Run(context.Background(), strings.NewReader(script)); err != nil {
		f.t.Fatalf("Run: %v\n%s", err, f.out.String())
	}
	return f.out.String()
}

func mustContain(t testing.TB, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q; output:\n%s", w, out)
		}
	}
}

func mustNotContain(t testing.TB, out string, bads ...string) {
	t.Helper()
	for _, b := range bads {
		if strings.Contains(out, b) {
			t.Errorf("output has %q; output:\n%s", b, out)
		}
	}
}

func TestAs(t *testing.T) {
	tests := []struct {
		name, arg string
		wantUser  string
		wantOut   string
	}{
		{"ByName", "fiona", fiona, "You are now fiona (U0FIONA01, lead of finance)."},
		{"ByNameIgnoringCaseAndAt", "@FIONA", fiona, "You are now fiona (U0FIONA01, lead of finance)."},
		{"ByID", "U0FRANK01", frank, "You are now frank (U0FRANK01, member of finance)."},
		{"ByIDAdminAndLead", "U0ADA0001", "U0ADA0001", "You are now ada (U0ADA0001, admin, lead of it)."},
		{"ByIDOfSomeoneNotInConfig", "U0NEW0001", "U0NEW0001", "You are now U0NEW0001 (U0NEW0001)."},
		{"ErrUnknownName", "nobody", mona, `Unknown user "nobody". Use a name from the config (:people lists them) or a Slack user ID like U0123ABC.`},
		{"LowerCaseID", "u0sam0001", "U0SAM0001", "You are now sam (U0SAM0001, in sales)."},
		{"ErrEmpty", "", mona, `Unknown user "".`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := MustOpenConsole(t, mona)
			out := f.run(":as " + tt.arg + "\n:whoami\n")
			mustContain(t, out, tt.wantOut)
			if got := f.con.User(); got != tt.wantUser {
				t.Errorf("User() = %q, want %q", got, tt.wantUser)
			}
		})
	}

	t.Run("PromptFollowsTheUser", func(t *testing.T) {
		f := MustOpenConsole(t, mona)
		out := f.run(":as sam\n/ask help\n")
		mustContain(t, out, "mona> :as sam\n", "sam> /ask help\n")
	})
	t.Run("ActsAsTheNewUser", func(t *testing.T) {
		f := MustOpenConsole(t, mona)
		f.run(":as sam\n/ask finance need the Q3 numbers\n")
		r, err := f.db.Request(context.Background(), "FIN-1")
		if err != nil {
			t.Fatal(err)
		}
		if r.Requester != sam {
			t.Errorf("FIN-1 filed by %q, want sam (%s)", r.Requester, sam)
		}
	})
}

func TestParseAdvance(t *testing.T) {
	good := []struct {
		in   string
		want time.Duration
	}{
		{"90m", 90 * time.Minute},
		{"26h", 26 * time.Hour},
		{"3d", 72 * time.Hour},
		{"1h30m", 90 * time.Minute},
		{" 45m ", 45 * time.Minute},
		{"1d", 24 * time.Hour},
	}
	for _, tt := range good {
		t.Run("OK_"+strings.TrimSpace(tt.in), func(t *testing.T) {
			got, err := console.ParseAdvance(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseAdvance(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"-3h", "banana", "3x", "", "0", "0d", "-1d", "d", "1.5d", "3 d", "3dd", "d3", "+3d", "2h3d"} {
		t.Run("Err_"+bad, func(t *testing.T) {
			if got, err := console.ParseAdvance(bad); err == nil {
				t.Errorf("ParseAdvance(%q) = %s, want an error", bad, got)
			} else if !strings.Contains(err.Error(), "Usage: :advance <duration>") {
				t.Errorf("ParseAdvance(%q) error %q does not show the usage", bad, err)
			}
		})
	}
}

func TestAdvance(t *testing.T) {
	t.Run("MovesTheClock", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		out := f.run(":advance 3d\n")
		if got, want := f.clock.Now(), start.Add(72*time.Hour); !got.Equal(want) {
			t.Errorf("clock at %s, want %s", got, want)
		}
		// Shown in sam's own zone (America/Chicago).
		mustContain(t, out, "Clock: Fri 27 Nov 2026 08:30 CST, America/Chicago (+3d)")
	})
	for _, bad := range []string{"-3h", "banana", "3d4", "0", ""} {
		t.Run("Err_"+bad, func(t *testing.T) {
			f := MustOpenConsole(t, sam)
			out := f.run(":advance " + bad + "\n")
			mustContain(t, out, "Usage: :advance <duration>, e.g. :advance 90m, :advance 26h, :advance 3d")
			if got := f.clock.Now(); !got.Equal(start) {
				t.Errorf("clock moved to %s on bad input %q", got, bad)
			}
		})
	}
	t.Run("TickRunsAfterAGoodAdvanceOnly", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		var ticks []time.Time
		f.con.Tick = func(context.Context) error {
			ticks = append(ticks, f.clock.Now())
			return nil
		}
		f.run(":advance 90m\n:advance banana\n:advance -1h\n:advance 26h\n")
		want := []time.Time{start.Add(90 * time.Minute), start.Add(27*time.Hour + 30*time.Minute)}
		if len(ticks) != len(want) {
			t.Fatalf("ticks at %v, want %v", ticks, want)
		}
		for i := range want {
			if !ticks[i].Equal(want[i]) {
				t.Errorf("tick %d at %s, want %s", i, ticks[i], want[i])
			}
		}
	})
	t.Run("TickErrorIsShown", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		f.con.Tick = func(context.Context) error { return errors.New("sweep exploded") }
		out := f.run(":advance 1h\n")
		mustContain(t, out, "scheduled work failed: sweep exploded")
	})
	t.Run("Now", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		mustContain(t, f.run(":now\n"), "Clock: Tue 24 Nov 2026 08:30 CST, America/Chicago")
		// Fiona has no zone of her own: Finance's.
		mustContain(t, f.run(":as fiona\n:time\n"), "Clock: Tue 24 Nov 2026 09:30 EST, America/New_York")
	})
}

func TestUnknownConsoleCommand(t *testing.T) {
	f := MustOpenConsole(t, sam)
	out := f.run(":frobnicate FIN-1\n:CLAIMS FIN-1\n")
	mustContain(t, out, "Unknown console command :frobnicate. Type :help.", "Unknown console command :CLAIMS. Type :help.")

	t.Run("VerbsIgnoreCase", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		mustContain(t, f.run(":WHOAMI\n"), "You are sam (U0SAM0001, in sales).")
	})
	t.Run("HelpListsEveryVerb", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		out := f.run(":help\n")
		// Every case of the console's verb switch, by one of its names,
		// and every act.
		src, err := os.ReadFile("console.go")
		if err != nil {
			t.Fatal(err)
		}
		cases := regexp.MustCompile(`(?m)^\tcase ("[a-z?]+"(?:, "[a-z?]+")*):`).FindAllStringSubmatch(string(src), -1)
		if len(cases) < 8 {
			t.Fatalf("found %d verb cases in console.go; has the switch moved?", len(cases))
		}
		for _, c := range cases {
			var listed bool
			for _, v := range strings.Split(c[1], ", ") {
				listed = listed || strings.Contains(out, "  :"+strings.Trim(v, `"`)+" ")
			}
			if !listed {
				t.Errorf(":help lists none of %s", c[1])
			}
		}
		for verb := range console.Actions() {
			mustContain(t, out, "  :"+verb+" ")
		}
	})
	t.Run("ActsNeedAnID", func(t *testing.T) {
		f := MustOpenConsole(t, fiona)
		out := f.run(":claim\n:transfer FIN-1\n:reassign FIN-1\n")
		mustContain(t, out, "Which request? e.g. :claim FIN-1", "Usage: :transfer FIN-1 <dept>", "Usage: :reassign FIN-1 <user>")
	})
	t.Run("DeskErrorsAreShownOnlyToYou", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		f.run("/ask finance need the Q3 numbers\n")
		out := f.run(":as mona\n:claim FIN-1\n:claim FIN-99\n:claim banana\n")
		mustContain(t, out,
			"  ┌ only you\n  │ You can't claim FIN-1: only the staff of the department handling it can.",
			"There is no request FIN-99.",
			"“banana” is not a request ID; IDs look like FIN-42")
	})
}

func TestButtonsRenderedAsCommands(t *testing.T) {
	f := MustOpenConsole(t, sam)
	out := f.run("/ask finance need the Q3 budget numbers\n")
	mustContain(t, out,
		"  ┌ #finance-requests · card FIN-1\n",
		"  └ [:claim FIN-1] [:reply FIN-1 <text>] [:resolve FIN-1 [note]] [:wait FIN-1 [note]] [:reassign FIN-1 <user>] [:transfer FIN-1 <dept>]\n",
		"  ┌ only you\n  │ Filed *FIN-1* with Finance (General question, normal priority): need the Q3 budget numbers\n",
		"  └ [:cancel FIN-1]\n")

	t.Run("TypingAButtonPressesIt", func(t *testing.T) {
		out := f.run(":as fiona\n:claim FIN-1\n")
		mustContain(t, out,
			"Done: FIN-1 is now acknowledged.",
			"  ┌ DM to sam · thread FIN-1\n  │ @fiona from Finance is on *FIN-1* (need the Q3 budget numbers).\n")
		// The card lost its Claim button.
		mustContain(t, out, "  └ [:reply FIN-1 <text>] [:resolve FIN-1 [note]] [:wait FIN-1 [note]] [:reassign FIN-1 <user>] [:transfer FIN-1 <dept>]\n")

		out = f.run(":wait FIN-1 All of sales, or only EMEA?\n")
		mustContain(t, out, "  ┌ DM to sam · thread FIN-1\n", "  └ [:reply FIN-1 <text>]\n",
			"  └ [:resume FIN-1] [:reply FIN-1 <text>] [:resolve FIN-1 [note]] [:reassign FIN-1 <user>] [:transfer FIN-1 <dept>]\n")

		out = f.run(":as sam\n:reply FIN-1 Only EMEA, please\n:as frank\n:resolve FIN-1 sent by email\n")
		mustContain(t, out, "  └ [:reopen FIN-1] [:close FIN-1] [:react FIN-1 😞] [:react FIN-1 🙁] [:react FIN-1 😐] [:react FIN-1 🙂] [:react FIN-1 😍] [:comment FIN-1 <text>]\n")

		out = f.run(":as sam\n:close FIN-1\n")
		mustContain(t, out, "Done: FIN-1 is now closed.")
	})
	t.Run("TransferLeavesACardWithoutButtons", func(t *testing.T) {
		f.run(":as sam\n/ask finance reimburse my taxi\n")
		out := f.run(":as fiona\n:transfer FIN-2 purchasing\n")
		mustContain(t, out,
			"  ┌ #purchasing · card FIN-2\n",
			"  ┌ #finance-requests · thread FIN-2\n  │ @fiona transferred this to Purchasing.\n",
			"Done: FIN-2 is now open.")
		i := strings.Index(out, "  ┌ #finance-requests · card FIN-2\n")
		if i < 0 {
			t.Fatalf("no card left in #finance-requests:\n%s", out)
		}
		card := out[i:]
		card = card[:strings.Index(card, "  └")+len("  └\n")]
		if !strings.HasSuffix(card, "  └\n") {
			t.Errorf("the card left behind has buttons:\n%s", card)
		}
	})
}

func TestMentionsAndEscapes(t *testing.T) {
	f := MustOpenConsole(t, sam)
	// Everything a requester might use to ping, mention or phish, plus an
	// escape sequence typed literally.
	text := "<!channel> hi <@U0FIONA01> see <http://evil.example|bank> & pay &lt;now&gt;"
	out := f.run("/ask finance " + text + "\n")

	// The console shows user text as typed: what was escaped comes back, once.
	mustContain(t, out, "*FIN-1* · "+text+"\n")
	// A mention the desk makes is shown as @name.
	mustContain(t, out, "Finance · from @sam · normal priority · open", "_filed by @sam_")
	// A mention the user typed stays text: it was escaped, so it is no
	// mention, and the console must not dress it up as one.
	mustNotContain(t, out, "@fiona", "&amp;", "&lt;!channel", "&gt; &amp;")

	t.Run("UnknownUserMentionShowsTheID", func(t *testing.T) {
		f := MustOpenConsole(t, "U0NEW0001")
		mustContain(t, f.run("/ask finance hello\n"), "Finance · from @U0NEW0001 · normal priority")
	})
	t.Run("StoredTextIsRaw", func(t *testing.T) {
		r, err := f.db.Request(context.Background(), "FIN-1")
		if err != nil {
			t.Fatal(err)
		}
		if r.Text != text {
			t.Errorf("stored text %q, want %q", r.Text, text)
		}
	})
	t.Run("InStatusAndReplies", func(t *testing.T) {
		out := f.run(":as fiona\n:reply FIN-1 <!here> done & dusted\n:as sam\n/ask status FIN-1\n")
		mustContain(t, out,
			"@fiona replied: <!here> done & dusted",
			"• Tue 08:30 (Tue 09:30 New York): reply from @fiona: <!here> done & dusted") // sam reads his own time, Chicago
		mustNotContain(t, out, "&lt;!here", "&amp;")
	})
}

func TestCommandsWithoutSlashAsk(t *testing.T) {
	f := MustOpenConsole(t, sam)
	out := f.run("finance need the Q3 numbers\nlist\n")
	mustContain(t, out, "Filed *FIN-1* with Finance", "*Your requests* (newest first)", "*FIN-1* · Finance · normal · open")
}

func TestComments(t *testing.T) {
	script := `# A scripted demo.
# /ask finance this is a comment, not a request

   # an indented comment
/ask list
# /ask finance still a comment
`
	f := MustOpenConsole(t, sam)
	out := f.run(script)
	mustContain(t, out,
		// A block of comments reads as one paragraph, blank lines dropped.
		"\n# A scripted demo.\n# /ask finance this is a comment, not a request\n# an indented comment\n\nsam> /ask list\n",
		"You have no requests yet.",
		"\n# /ask finance still a comment\n")
	mustNotContain(t, out, "Filed")
	if _, err := f.db.Request(context.Background(), "FIN-1"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("a comment filed a request: %v", err)
	}

	t.Run("NotEchoedAtATerminal", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		f.con.Echo = false
		out := f.run("# quiet\n/ask list\n")
		mustNotContain(t, out, "# quiet", "sam> /ask list")
		mustContain(t, out, "You have no requests yet.")
	})
}

func TestQuit(t *testing.T) {
	for _, verb := range []string{":quit", ":exit", ":q", ":QUIT"} {
		t.Run(verb, func(t *testing.T) {
			f := MustOpenConsole(t, sam)
			out := f.run("/ask finance first\n" + verb + "\n/ask finance after quit\n:advance 1h\n")
			mustContain(t, out, "Filed *FIN-1*")
			mustNotContain(t, out, "after quit", "FIN-2", "(+1h)")
			if _, err := f.db.Request(context.Background(), "FIN-2"); bot.ErrorCode(err) != bot.ENOTFOUND {
				t.Errorf("a line after %s was run: %v", verb, err)
			}
			if !f.clock.Now().Equal(start) {
				t.Errorf("clock moved after %s", verb)
			}
		})
	}
	t.Run("EOFEndsCleanly", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		mustContain(t, f.run("/ask list"), "You have no requests yet.") // no final newline
	})
	t.Run("CancelledContextStopsBeforeTheNextLine", func(t *testing.T) {
		f := MustOpenConsole(t, sam)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := f.con.Run(ctx, strings.NewReader("/ask finance never filed\n"))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
		if _, err := f.db.Request(context.Background(), "FIN-1"); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("a line was run after the context ended: %v", err)
		}
	})
}

func TestPeople(t *testing.T) {
	f := MustOpenConsole(t, sam)
	out := f.run(":people\n")
	mustContain(t, out,
		"  ada (U0ADA0001, admin, lead of it)\n",
		"  fiona (U0FIONA01, lead of finance)\n",
		"  sam (U0SAM0001, in sales)\n")
	if a, s := strings.Index(out, "  ada ("), strings.Index(out, "  wei ("); a < 0 || s < 0 || a > s {
		t.Errorf(":people is not sorted by name:\n%s", out)
	}
}
