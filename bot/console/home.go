package console

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/askdesk/askdesk/bot"
)

// home prints the current user's Home, as the Slack app's Home tab shows
// it: :home [page N] [mine] [urgent|normal|low] [open|acknowledged|waiting|reopened]
// [dept <name>] [type <name>].
func (c *Console) home(ctx context.Context, rest string) {
	q, err := ParseHomeQuery(rest)
	if err != nil {
		c.println(c.p().T("console.usage.home"))
		return
	}
	h, err := c.Desk.Home(ctx, c.User(), q)
	if err != nil {
		c.toUser(bot.Message{Text: c.errorText(err)})
		return
	}
	c.show(bot.Message{To: c.User(), Text: strings.TrimRight(bot.HomeText(h), "\n")}, c.p().T("console.dest.home"))
}

// ParseHomeQuery reads :home's filters.
func ParseHomeQuery(s string) (bot.HomeQuery, error) {
	var q bot.HomeQuery
	usage := fmt.Errorf("Usage: :home [page N] [mine] [urgent|normal|low] [open|acknowledged|waiting|reopened] [dept <name>] [type <name>]")
	f := strings.Fields(strings.ToLower(s))
	for i := 0; i < len(f); i++ {
		w := f[i]
		switch {
		case w == "mine":
			q.Mine = true
		case w == "page" || w == "dept" || w == "type":
			if i+1 >= len(f) {
				return q, usage
			}
			i++
			switch w {
			case "page":
				n, err := strconv.Atoi(f[i])
				if err != nil || n < 1 {
					return q, usage
				}
				q.Page = n - 1
			case "dept":
				q.Dept = f[i]
			case "type":
				q.Type = f[i]
			}
		case bot.Priority(w) == bot.Urgent || bot.Priority(w) == bot.Normal || bot.Priority(w) == bot.Low:
			q.Priority = bot.Priority(w)
		case bot.State(w).Active():
			q.State = bot.State(w)
		default:
			return q, usage
		}
	}
	return q, nil
}
