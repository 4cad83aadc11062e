package slackapp

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// printer is the printer for what user reads in Slack (forms, Home,
// ephemeral notes): their language as the desk knows it (bot.Desk.Printer).
// Without a desk it is English.
func (a *App) printer(user string) *i18n.Printer {
	if a.desk == nil {
		return nil
	}
	return a.desk.Printer(user, nil)
}

// cachedPrinter is printer without starting a users.info lookup
// (bot.Desk.CachedPrinter): for what is written when no call may be
// spent, as when an envelope is turned away.
func (a *App) cachedPrinter(user string) *i18n.Printer {
	if a.desk == nil {
		return nil
	}
	return a.desk.CachedPrinter(user, nil)
}

// channelPrinter is the printer for what a department's people read
// (bot.Desk.ChannelPrinter); dept is its canonical name.
func (a *App) channelPrinter(dept string) *i18n.Printer {
	if a.desk == nil {
		return nil
	}
	var dep *bot.Department
	if dir := a.directory(); dir != nil {
		dep = dir.ByName(dept)
	}
	return a.desk.ChannelPrinter(dep)
}

// messageTextClippedIn is messageTextClipped in p's language.
func messageTextClippedIn(p *i18n.Printer) string { return p.T("slack.note.message_clipped") }

// messagePrinter is the printer for a message from the desk: its Lang when
// askdesk speaks it, else dep's language, else the company's (dir), else
// English, as bot.Desk.ChannelPrinter chooses.
func messagePrinter(m bot.Message, dir *bot.Directory, dep *bot.Department) *i18n.Printer {
	c := i18n.Default()
	for _, l := range []string{m.Lang, deptLanguage(dep), dirLanguage(dir)} {
		if p, ok := c.Printer(l); ok {
			return p
		}
	}
	return nil
}

func deptLanguage(dep *bot.Department) string {
	if dep == nil {
		return ""
	}
	return dep.Language
}

func dirLanguage(dir *bot.Directory) string {
	if dir == nil {
		return ""
	}
	return dir.Language
}

// stateWord names a request's state on its card.
func stateWord(p *i18n.Printer, s bot.State) string {
	switch s {
	case bot.Open:
		return p.T("slack.card.state_open")
	case bot.Acknowledged:
		return p.T("slack.card.state_acknowledged")
	case bot.Waiting:
		return p.T("slack.card.state_waiting")
	case bot.Resolved:
		return p.T("slack.card.state_resolved")
	case bot.Closed:
		return p.T("slack.card.state_closed")
	case bot.Cancelled:
		return p.T("slack.card.state_cancelled")
	case bot.Reopened:
		return p.T("slack.card.state_reopened")
	}
	return string(s)
}

// priorityWord names a priority on a card, in lower case in English.
func priorityWord(p *i18n.Printer, pr bot.Priority) string {
	switch pr {
	case bot.Urgent:
		return p.T("slack.card.priority_urgent")
	case bot.Normal:
		return p.T("slack.card.priority_normal")
	case bot.Low:
		return p.T("slack.card.priority_low")
	}
	return string(pr)
}
