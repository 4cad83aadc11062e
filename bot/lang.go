package bot

import "github.com/askdesk/askdesk/bot/i18n"

// LocaleFinder tells a user's chat locale ("zh-CN", "en-US") when the chat
// knows it. It must answer at once, from a cache; the config's [people]
// come first.
type LocaleFinder interface {
	UserLocale(user string) (string, bool)
}

// words is the desk's catalogue: Words, or the embedded one.
func (d *Desk) words() *i18n.Catalogue {
	if d.Words != nil {
		return d.Words
	}
	return i18n.Default()
}

// Printer returns the printer for what user reads (their DMs, replies and
// Home), in the first language known of: their [people] lang, their chat
// locale when askdesk speaks it, dep's language, the company's, English.
// A chat locale askdesk does not speak ("ja-JP") falls through to the
// department and company rather than to English. dep may be nil.
func (d *Desk) Printer(user string, dep *Department) *i18n.Printer {
	w := d.words()
	if dir := d.Dir(); dir != nil {
		if p, ok := dir.People[user]; ok && p.Lang != "" {
			if t, ok := i18n.Match(p.Lang); ok {
				return w.For(t)
			}
		}
	}
	if d.Locales != nil {
		if l, ok := d.Locales.UserLocale(user); ok {
			if t, ok := i18n.Match(l); ok {
				return w.For(t)
			}
		}
	}
	return d.ChannelPrinter(dep)
}

// ChannelPrinter returns the printer for what a department's channel shows
// (cards, threads, digests): dep's language, else the company's, else
// English. dep nil is the company's (the org-wide digest).
func (d *Desk) ChannelPrinter(dep *Department) *i18n.Printer {
	w := d.words()
	if dep != nil && dep.Language != "" {
		if t, ok := i18n.Match(dep.Language); ok {
			return w.For(t)
		}
	}
	if dir := d.Dir(); dir != nil && dir.Language != "" {
		if t, ok := i18n.Match(dir.Language); ok {
			return w.For(t)
		}
	}
	return w.For(i18n.En)
}
