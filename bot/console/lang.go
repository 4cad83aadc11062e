package console

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// p is the printer of the console's own words (banner, :help, usage, where
// a message went): the company's language, which --lang sets, else
// English (bot.Desk.ChannelPrinter of no department).
func (c *Console) p() *i18n.Printer { return c.Desk.ChannelPrinter(nil) }

// userPrinter is the printer of what the person acting reads in reply, as
// the desk's own replies to them: their language (bot.Desk.Printer).
func (c *Console) userPrinter() *i18n.Printer { return c.Desk.Printer(c.User(), nil) }

// errorText is what the person acting reads for err, in their language.
func (c *Console) errorText(err error) string { return bot.ErrorText(c.userPrinter(), err) }

// toUser shows m as a reply only the person acting sees.
func (c *Console) toUser(m bot.Message) {
	m.To = c.User()
	c.show(m, c.p().T("console.dest.only_you"))
}

// println prints one line.
func (c *Console) println(s string) { c.printf("%s\n", s) }

// stateWord names a request's state as "Done: FIN-1 is now …" says it.
func stateWord(p *i18n.Printer, s bot.State) string {
	if w, err := p.Text("console.state." + string(s)); err == nil {
		return w
	}
	return string(s)
}
