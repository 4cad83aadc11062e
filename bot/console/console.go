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
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
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
	c.println(c.p().T("console.banner", "Who", c.who(c.User())))
	c.println(c.clockText(""))
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
			c.println(c.p().T("console.delivery_failed", "Error", err.Error()))
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
		c.toUser(bot.Message{Text: reply.Text, Buttons: reply.Buttons})
		return false
	}
	verb, rest, _ := strings.Cut(strings.TrimPrefix(line, ":"), " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToLower(verb) {
	case "quit", "exit", "q":
		return true
	case "help", "h", "?":
		c.printf("%s", c.p().T("console.help.text"))
	case "as":
		c.switchUser(rest)
	case "whoami":
		c.println(c.p().T("console.whoami", "Who", c.who(c.User())))
	case "who", "people":
		c.people()
	case "now", "time":
		c.println(c.clockText(""))
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
			c.println(c.p().T("console.usage.route"))
			return false
		}
		reply, err := c.Desk.FileRouted(ctx, c.User(), ref, strings.TrimSpace(dept))
		if err != nil {
			reply = bot.Reply{Text: c.errorText(err)}
		}
		c.toUser(bot.Message{Text: reply.Text, Buttons: reply.Buttons})
	case "saveanswer", "unsaveanswer":
		save := c.Desk.SaveAnswer
		if strings.ToLower(verb) == "unsaveanswer" {
			save = c.Desk.UnsaveAnswer
		}
		reply, err := save(ctx, c.User(), strings.TrimSpace(rest))
		if err != nil {
			reply = bot.Reply{Text: c.errorText(err)}
		}
		c.toUser(bot.Message{Text: reply.Text, Buttons: reply.Buttons})
	case "answered":
		// A deflection's "This answered it": settle P… with an earlier answer.
		ref, arg, _ := strings.Cut(rest, " ")
		if strings.TrimSpace(arg) == "" {
			c.println(c.p().T("console.usage.answered"))
			return false
		}
		reply, err := c.Desk.Answered(ctx, c.User(), ref, strings.TrimSpace(arg))
		if err != nil {
			reply = bot.Reply{Text: c.errorText(err)}
		}
		c.toUser(bot.Message{Text: reply.Text})
	case "comment":
		id, text, _ := strings.Cut(rest, " ")
		if ok, err := c.Desk.CommentRating(ctx, c.User(), id, text); err != nil {
			c.toUser(bot.Message{Text: c.errorText(err)})
		} else if !ok {
			c.toUser(bot.Message{Text: c.userPrinter().T("console.rate_first")})
		} else {
			c.toUser(bot.Message{Text: c.userPrinter().T("console.comment_saved")})
		}
	default:
		act, ok := actions[strings.ToLower(verb)]
		if !ok {
			c.println(c.p().T("console.unknown_command", "Verb", verb))
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
		c.println(c.p().T("console.which_request", "Verb", verbFor(action)))
		return
	}
	a := bot.Act{Actor: c.User(), Action: action, ID: id, Text: args}
	if action == bot.ActTransfer || action == bot.ActReassign {
		a.Target, a.Text, _ = strings.Cut(args, " ")
		if a.Target == "" {
			c.println(c.p().T("console.usage."+verbFor(action), "ID", id))
			return
		}
	}
	r, err := c.Desk.Do(ctx, a)
	if err != nil {
		c.toUser(bot.Message{Text: c.errorText(err)})
		return
	}
	up := c.userPrinter()
	done := "console.done"
	if action == bot.ActReply {
		// What was done is the reply sent; the state it leaves is news
		// only in English's "Done: … is now …".
		done = "cmd.replied"
	}
	c.toUser(bot.Message{Text: up.T(done, "ID", r.ID, "State", stateWord(up, r.State))})
}

func (c *Console) switchUser(s string) {
	id, ok := c.Desk.Dir().UserByName(s)
	if !ok {
		if !IsUserID(s) {
			// The catalogue quotes the name in the reader's quotation
			// marks; inside them it is escaped as Go quotes it.
			q := strconv.Quote(s)
			c.println(c.p().T("console.unknown_user", "Name", q[1:len(q)-1]))
			return
		}
		id = strings.ToUpper(s)
	}
	c.mu.Lock()
	c.user = id
	c.mu.Unlock()
	c.println(c.p().T("console.switched", "Who", c.who(id)))
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

// who describes a user: "fiona (U0FIONA01, lead of finance)"; in Chinese
// a department goes by its display name, as /ask 帮助 lists them.
func (c *Console) who(id string) string {
	dir := c.Desk.Dir()
	p := c.p()
	dept := func(dep *bot.Department) string {
		if p.Tag() != i18n.En && dep.DisplayName != "" {
			return dep.DisplayName
		}
		return dep.Name
	}
	var roles []string
	if dir.IsAdmin(id) {
		roles = append(roles, p.T("console.who.admin"))
	}
	for _, dep := range dir.StaffOf(id) {
		if dep.IsLead(id) {
			roles = append(roles, p.T("console.who.lead", "Dept", dept(dep)))
		} else {
			roles = append(roles, p.T("console.who.member", "Dept", dept(dep)))
		}
	}
	if len(roles) == 0 {
		if home := dir.HomeDepartment(id); home != "" {
			if dep := dir.ByName(home); dep != nil {
				home = dept(dep)
			}
			roles = append(roles, p.T("console.who.in", "Dept", home))
		}
	}
	if len(roles) == 0 {
		return p.T("console.who.plain", "Name", dir.Name(id), "ID", id)
	}
	return p.T("console.who.roles", "Name", dir.Name(id), "ID", id, "Roles", strings.Join(roles, p.T("console.who.sep")))
}

func (c *Console) advance(ctx context.Context, arg string) {
	d, err := ParseAdvance(arg)
	if err != nil {
		c.println(c.p().T("console.usage.advance"))
		return
	}
	c.Clock.Advance(d)
	c.println(c.clockText(advanceWords(c.p(), arg)))
	if c.Tick != nil {
		if err := c.Tick(ctx); err != nil {
			c.println(c.p().T("console.tick_failed", "Error", err.Error()))
		}
	}
}

// Surveys, when set, lets :survey answer the quarterly survey.
func (c *Console) survey(ctx context.Context, rest string) {
	f := strings.Fields(rest)
	if len(f) < 3 || c.Surveys == nil {
		c.println(c.p().T("console.usage.survey"))
		return
	}
	score := 0
	fmt.Sscanf(f[2], "%d", &score)
	comment := strings.TrimSpace(strings.Join(f[3:], " "))
	if err := c.Desk.AnswerSurvey(ctx, c.Surveys, c.User(), f[0], f[1], score, comment); err != nil {
		c.toUser(bot.Message{Text: c.errorText(err)})
		return
	}
	c.toUser(bot.Message{Text: c.userPrinter().T("console.survey_thanks")})
}

// rate handles :react <id> <emoji>, :rate <id> <1-5> and :unreact.
func (c *Console) rate(ctx context.Context, verb, rest string) {
	id, choice, _ := strings.Cut(rest, " ")
	if id == "" || strings.TrimSpace(choice) == "" {
		c.println(c.p().T("console.usage.react"))
		return
	}
	var res bot.RateResult
	var err error
	if verb == "unreact" {
		res, err = c.Desk.Unrate(ctx, c.User(), id, choice)
	} else {
		res, err = c.Desk.Rate(ctx, c.User(), id, choice)
	}
	up := c.userPrinter()
	switch {
	case err != nil:
		c.toUser(bot.Message{Text: c.errorText(err)})
	case res.Score == 0:
		c.toUser(bot.Message{Text: up.T("console.unrated", "ID", res.Request.ID)})
	default:
		c.toUser(bot.Message{Text: up.T("console.rated", "ID", res.Request.ID, "Score", res.Score)})
	}
}

// clockText shows the simulated time in the current user's zone, and by
// how much :advance just moved it when by is not "".
func (c *Console) clockText(by string) string {
	user := c.User()
	loc := c.Desk.Location(user, c.Desk.Dir().ByName(c.Desk.Dir().HomeDepartment(user)))
	now := c.Clock.Now().In(loc)
	p := c.p()
	date, clock := p.DateYear(now), now.Format("15:04 MST") //i18n:ok a time layout
	if by == "" {
		return p.T("console.clock", "Date", date, "Time", clock, "Zone", loc.String())
	}
	return p.T("console.clock_advanced", "Date", date, "Time", clock, "Zone", loc.String(), "By", by)
}

// advancePart is one number and unit of :advance's argument as written
// ("1h30m" is 1h and 30m).
var advancePart = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)(d|h|m|s)`)

// advanceUnits are the catalogue's words for each unit :advance takes.
var advanceUnits = map[string]string{
	"d": "console.advance_by.days", "h": "console.advance_by.hours",
	"m": "console.advance_by.minutes", "s": "console.advance_by.seconds",
}

// advanceWords says how far :advance moved the clock, part by part as
// the argument wrote it, in p's units: "26h" is "26h" in English and
// "26小时" in Chinese, "1h30m" "1小时30分钟". An argument written another
// way (sub-second units, capitals) is shown as typed.
func advanceWords(p *i18n.Printer, arg string) string {
	arg = strings.TrimSpace(arg)
	parts := advancePart.FindAllStringSubmatchIndex(arg, -1)
	var b strings.Builder
	end := 0
	for _, m := range parts {
		if m[0] != end {
			return arg
		}
		end = m[1]
		b.WriteString(p.T(advanceUnits[arg[m[4]:m[5]]], "N", arg[m[2]:m[3]]))
	}
	if len(parts) == 0 || end != len(arg) {
		return arg
	}
	return b.String()
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
