// Package console runs the desk with a terminal as the chat: every message
// the bot would send is printed with where it would go, every button is a
// command one can type, and time is simulated so deadlines can be watched.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// Advancer is a clock the console can move forward with :advance.
type Advancer interface {
	bot.Clock
	Advance(d time.Duration) time.Time
}

// Console is a chat adapter on a terminal. It implements bot.Chat.
type Console struct {
	Desk  *bot.Desk
	Clock Advancer
	Out   io.Writer
	// Echo prints each input line, for scripts read from a file.
	Echo bool
	// Prompt prints a prompt before each line, for people at a terminal.
	Prompt bool
	// Tick runs after the clock moves, so time-driven work fires as it would
	// in serve. Nil does nothing.
	Tick func(ctx context.Context) error
	// Surveys answers :survey; nil disables it.
	Surveys bot.Surveys
	// FileDir is where files sent to the chat (digest charts) are saved;
	// the system's temporary directory by default.
	FileDir string

	mu   sync.Mutex
	user string
}

var _ bot.Chat = (*Console)(nil)

// New returns a console acting as user.
func New(desk *bot.Desk, clock Advancer, out io.Writer, user string) *Console {
	return &Console{Desk: desk, Clock: clock, Out: out, user: user, FileDir: os.TempDir()}
}

// User returns who the console is acting as.
func (c *Console) User() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.user
}

// Run reads lines from in until EOF, :quit or ctx ends.
func (c *Console) Run(ctx context.Context, in io.Reader) error {
	c.printf("askdesk console: you are %s. Type /ask help, or :help for console commands.\n", c.who(c.User()))
	c.printf("Clock: %s\n", c.clockText())
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lastComment := false
	for {
		if c.Prompt {
			c.printf("%s> ", c.Desk.Dir().Name(c.User()))
		}
		if !sc.Scan() {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		comment := strings.HasPrefix(line, "#")
		if c.Echo {
			// A block of comments reads as one paragraph.
			if !comment || !lastComment {
				c.printf("\n")
			}
			if comment {
				c.printf("%s\n", line)
			} else {
				c.printf("%s> %s\n", c.Desk.Dir().Name(c.User()), line)
			}
		}
		lastComment = comment
		if comment {
			continue
		}
		quit := c.Line(ctx, line)
		if _, err := c.Desk.Deliver(ctx); err != nil {
			c.printf("delivering messages failed: %v\n", err)
		}
		if quit {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read console input: %w", err)
	}
	return nil
}

// Line handles one input line and reports whether the user asked to quit.
func (c *Console) Line(ctx context.Context, line string) (quit bool) {
	if !strings.HasPrefix(line, ":") {
		reply := c.Desk.Command(ctx, c.User(), line)
		c.show(bot.Message{To: c.User(), Text: reply.Text, Buttons: reply.Buttons}, "only you")
		return false
	}
	verb, rest, _ := strings.Cut(strings.TrimPrefix(line, ":"), " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(verb) {
	case "quit", "exit", "q":
		return true
	case "help", "h", "?":
		c.printf("%s", consoleHelp)
	case "as":
		c.switchUser(rest)
	case "whoami":
		c.printf("You are %s.\n", c.who(c.User()))
	case "who", "people":
		c.people()
	case "now", "time":
		c.printf("Clock: %s\n", c.clockText())
	case "advance":
		c.advance(ctx, rest)
	case "survey":
		c.survey(ctx, rest)
	case "home":
		c.home(ctx, rest)
	case "react", "rate", "unreact":
		c.rate(ctx, strings.ToLower(verb), rest)
	case "route":
		// A routing reply's buttons: file pending filing P… with a department.
		ref, dept, _ := strings.Cut(rest, " ")
		if strings.TrimSpace(dept) == "" {
			c.printf("Usage: :route P1 <dept>\n")
			return false
		}
		reply, err := c.Desk.FileRouted(ctx, c.User(), ref, strings.TrimSpace(dept))
		if err != nil {
			reply = bot.Reply{Text: bot.ErrorMessage(err)}
		}
		c.show(bot.Message{To: c.User(), Text: reply.Text, Buttons: reply.Buttons}, "only you")
	case "saveanswer", "unsaveanswer":
		save := c.Desk.SaveAnswer
		if strings.ToLower(verb) == "unsaveanswer" {
			save = c.Desk.UnsaveAnswer
		}
		reply, err := save(ctx, c.User(), strings.TrimSpace(rest))
		if err != nil {
			reply = bot.Reply{Text: bot.ErrorMessage(err)}
		}
		c.show(bot.Message{To: c.User(), Text: reply.Text, Buttons: reply.Buttons}, "only you")
	case "answered":
		// A deflection's "This answered it": settle P… with an earlier answer.
		ref, arg, _ := strings.Cut(rest, " ")
		if strings.TrimSpace(arg) == "" {
			c.printf("Usage: :answered P1 <request>:<dept>\n")
			return false
		}
		reply, err := c.Desk.Answered(ctx, c.User(), ref, strings.TrimSpace(arg))
		if err != nil {
			reply = bot.Reply{Text: bot.ErrorMessage(err)}
		}
		c.show(bot.Message{To: c.User(), Text: reply.Text}, "only you")
	case "comment":
		id, text, _ := strings.Cut(rest, " ")
		if ok, err := c.Desk.CommentRating(ctx, c.User(), id, text); err != nil {
			c.show(bot.Message{To: c.User(), Text: bot.ErrorMessage(err)}, "only you")
		} else if !ok {
			c.show(bot.Message{To: c.User(), Text: "Rate it first, then add a comment."}, "only you")
		} else {
			c.show(bot.Message{To: c.User(), Text: "Thanks, your comment is with the rating."}, "only you")
		}
	default:
		act, ok := actions[strings.ToLower(verb)]
		if !ok {
			c.printf("Unknown console command :%s. Type :help.\n", verb)
			return false
		}
		c.act(ctx, act, rest)
	}
	return false
}

// IsUserID reports whether s looks like a Slack user ID (any case).
func IsUserID(s string) bool { return bot.IsUserID(strings.ToUpper(s)) }

// actions maps console verbs to desk actions; buttons print as these.
var actions = map[string]bot.Action{
	"claim": bot.ActClaim, "reply": bot.ActReply, "wait": bot.ActWait, "resume": bot.ActResume,
	"resolve": bot.ActResolve, "close": bot.ActClose, "reopen": bot.ActReopen, "cancel": bot.ActCancel,
	"transfer": bot.ActTransfer, "reassign": bot.ActReassign, "comment": bot.ActComment,
}

func verbFor(a bot.Action) string {
	for v, act := range actions {
		if act == a {
			return v
		}
	}
	return string(a)
}

func (c *Console) act(ctx context.Context, action bot.Action, rest string) {
	id, args, _ := strings.Cut(rest, " ")
	args = strings.TrimSpace(args)
	if id == "" {
		c.printf("Which request? e.g. :%s FIN-1\n", verbFor(action))
		return
	}
	a := bot.Act{Actor: c.User(), Action: action, ID: id, Text: args}
	if action == bot.ActTransfer || action == bot.ActReassign {
		a.Target, a.Text, _ = strings.Cut(args, " ")
		if a.Target == "" {
			c.printf("Usage: :%s %s <%s>\n", verbFor(action), id, map[bot.Action]string{bot.ActTransfer: "dept", bot.ActReassign: "user"}[action])
			return
		}
	}
	r, err := c.Desk.Do(ctx, a)
	if err != nil {
		c.show(bot.Message{To: c.User(), Text: bot.ErrorMessage(err)}, "only you")
		return
	}
	c.show(bot.Message{To: c.User(), Text: fmt.Sprintf("Done: %s is now %s.", r.ID, r.State)}, "only you")
}

func (c *Console) switchUser(s string) {
	id, ok := c.Desk.Dir().UserByName(s)
	if !ok {
		if !IsUserID(s) {
			c.printf("Unknown user %q. Use a name from the config (:people lists them) or a Slack user ID like U0123ABC.\n", s)
			return
		}
		id = strings.ToUpper(s)
	}
	c.mu.Lock()
	c.user = id
	c.mu.Unlock()
	c.printf("You are now %s.\n", c.who(id))
}

func (c *Console) people() {
	dir := c.Desk.Dir()
	ids := make([]string, 0, len(dir.People))
	for id := range dir.People {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return dir.Name(ids[i]) < dir.Name(ids[j]) })
	for _, id := range ids {
		c.printf("  %s\n", c.who(id))
	}
}

// who describes a user: "fiona (U0FIONA01, lead of finance)".
func (c *Console) who(id string) string {
	dir := c.Desk.Dir()
	var roles []string
	if dir.IsAdmin(id) {
		roles = append(roles, "admin")
	}
	for _, dep := range dir.StaffOf(id) {
		if dep.IsLead(id) {
			roles = append(roles, "lead of "+dep.Name)
		} else {
			roles = append(roles, "member of "+dep.Name)
		}
	}
	if len(roles) == 0 {
		if home := dir.HomeDepartment(id); home != "" {
			roles = append(roles, "in "+home)
		}
	}
	s := dir.Name(id) + " (" + id
	if len(roles) > 0 {
		s += ", " + strings.Join(roles, ", ")
	}
	return s + ")"
}

func (c *Console) advance(ctx context.Context, arg string) {
	d, err := ParseAdvance(arg)
	if err != nil {
		c.printf("%v\n", err)
		return
	}
	c.Clock.Advance(d)
	c.printf("Clock: %s (+%s)\n", c.clockText(), arg)
	if c.Tick != nil {
		if err := c.Tick(ctx); err != nil {
			c.printf("scheduled work failed: %v\n", err)
		}
	}
}

// Surveys, when set, lets :survey answer the quarterly survey.
func (c *Console) survey(ctx context.Context, rest string) {
	f := strings.Fields(rest)
	if len(f) < 3 || c.Surveys == nil {
		c.printf("Usage: :survey 2026-Q3 <dept> <1-5> [comment]\n")
		return
	}
	score := 0
	fmt.Sscanf(f[2], "%d", &score)
	comment := strings.TrimSpace(strings.Join(f[3:], " "))
	if err := c.Desk.AnswerSurvey(ctx, c.Surveys, c.User(), f[0], f[1], score, comment); err != nil {
		c.show(bot.Message{To: c.User(), Text: bot.ErrorMessage(err)}, "only you")
		return
	}
	c.show(bot.Message{To: c.User(), Text: "Thank you: your answer is in."}, "only you")
}

// rate handles :react <id> <emoji>, :rate <id> <1-5> and :unreact.
func (c *Console) rate(ctx context.Context, verb, rest string) {
	id, choice, _ := strings.Cut(rest, " ")
	if id == "" || strings.TrimSpace(choice) == "" {
		c.printf("Usage: :react FIN-1 🙂 (or :rate FIN-1 4, :unreact FIN-1 🙂)\n")
		return
	}
	var res bot.RateResult
	var err error
	if verb == "unreact" {
		res, err = c.Desk.Unrate(ctx, c.User(), id, choice)
	} else {
		res, err = c.Desk.Rate(ctx, c.User(), id, choice)
	}
	switch {
	case err != nil:
		c.show(bot.Message{To: c.User(), Text: bot.ErrorMessage(err)}, "only you")
	case res.Score == 0:
		c.show(bot.Message{To: c.User(), Text: fmt.Sprintf("Your rating of %s is withdrawn.", res.Request.ID)}, "only you")
	default:
		c.show(bot.Message{To: c.User(), Text: fmt.Sprintf("Thanks: you rated %s %d of 5.", res.Request.ID, res.Score)}, "only you")
	}
}

// clockText shows the simulated time in the current user's zone.
func (c *Console) clockText() string {
	user := c.User()
	loc := c.Desk.Location(user, c.Desk.Dir().ByName(c.Desk.Dir().HomeDepartment(user)))
	return c.Clock.Now().In(loc).Format("Mon 2 Jan 2006 15:04 MST") + ", " + loc.String()
}

// maxAdvanceDays bounds one :advance (ten years), far from overflow.
const maxAdvanceDays = 3660

// ParseAdvance parses :advance's argument: a Go duration ("90m", "26h") or
// whole days ("3d"), positive.
func ParseAdvance(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	var d time.Duration
	var err error
	if strings.HasSuffix(s, "d") {
		var n int
		if _, e := fmt.Sscanf(s, "%dd", &n); e != nil || fmt.Sprintf("%dd", n) != s || n > maxAdvanceDays {
			err = fmt.Errorf("bad duration")
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 || d > maxAdvanceDays*24*time.Hour {
		return 0, fmt.Errorf("Usage: :advance <duration>, e.g. :advance 90m, :advance 26h, :advance 3d")
	}
	return d, nil
}

const consoleHelp = `Console commands (anything else is an /ask command, with or without "/ask"):
  :as <user>                 act as someone (a name from the config or a Slack user ID)
  :people                    everyone the config names: handle, ID, department, role
  :whoami                    who you are now
  :advance <duration>        move the simulated clock: 90m, 26h, 3d
  :now                       the simulated time
  :home [filters]            your Home: your requests, your queue, your department's standing;
                             filters: page N, mine, urgent|normal|low, open|acknowledged|waiting|reopened, dept <name>, type <name>
  :claim <id>                take a request (department members)
  :reply <id> <text>         answer in the request's thread (members) or reply to the department (requester)
  :wait <id> [question]      put on hold, waiting on the requester: pauses the resolution clock
  :resume <id>               take it off hold
  :resolve <id> [note]       mark it done
  :close <id>                confirm a resolution (requester)
  :reopen <id> [why]         reopen after resolution (requester)
  :cancel <id> [why]         withdraw it (requester)
  :transfer <id> <dept>      hand it to another department
  :react <id> <emoji>        rate a resolved request (requester): 😞 🙁 😐 🙂 😍, or :rate <id> 1-5
  :unreact <id> <emoji>      withdraw that rating
  :comment <id> <text>       add a comment to your rating
  :route <P…> <dept>         file what you typed without a department with dept (the buttons of askdesk's suggestion)
  :answered <P…> <id>:<dept> an earlier answer settled what you typed: nothing is filed (a deflection's button)
  :saveanswer <id>           keep a resolved request's resolution note as a saved answer, shown first before filing and public (members)
  :unsaveanswer <id>         remove a saved answer (members)
  :survey <quarter> <dept> <1-5> [comment]   answer the quarterly survey
  :reassign <id> <user>      give it to another member
  :help                      this list
  :quit                      leave
`
