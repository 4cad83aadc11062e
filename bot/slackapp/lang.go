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
