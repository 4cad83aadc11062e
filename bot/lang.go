package bot

import "github.com/askdesk/askdesk/bot/i18n"

// LocaleFinder tells a user's chat locale ("zh-CN", "en-US") when the chat
// knows it. It must answer at once, from a cache; the config's [people]
// come first.
type LocaleFinder interface {
	UserLocale(user string) (string, bool)
}

// LocaleCache is a LocaleFinder that can also answer from what it already
// knows only: CachedUserLocale never starts a lookup (Slack's users.info)
// for a user it has not seen, where UserLocale may. The filing path asks
// it (filingPrinter), so a person whose locale is known reads the filing
// in their language and a newcomer's first filing costs no extra call. A
// LocaleFinder without it is taken at its word (UserLocale answers at
// once) and asked UserLocale.
type LocaleCache interface {
	CachedUserLocale(user string) (string, bool)
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
	return d.printerFor(user, dep, false)
}

// CachedPrinter is Printer without starting a chat lookup: the chat
// locale counts only when the chat already knows it (LocaleCache). What
// must not cost a users.info call for a person never seen (a filing, a
// note sent while overloaded) is written in it.
func (d *Desk) CachedPrinter(user string, dep *Department) *i18n.Printer {
	return d.printerFor(user, dep, true)
}

func (d *Desk) printerFor(user string, dep *Department, cachedOnly bool) *i18n.Printer {
	w := d.words()
	if dir := d.Dir(); dir != nil {
		if p, ok := dir.People[user]; ok && p.Lang != "" {
			if t, ok := i18n.Match(p.Lang); ok {
				return w.For(t)
			}
		}
	}
	if l, ok := d.chatLocale(user, cachedOnly); ok {
		if t, ok := i18n.Match(l); ok {
			return w.For(t)
		}
	}
	return d.ChannelPrinter(dep)
}

// chatLocale is user's chat locale, if the chat knows it; cachedOnly
// asks a LocaleCache what it already knows.
func (d *Desk) chatLocale(user string, cachedOnly bool) (string, bool) {
	if d.Locales == nil {
		return "", false
	}
	if c, ok := d.Locales.(LocaleCache); ok && cachedOnly {
		return c.CachedUserLocale(user)
	}
	return d.Locales.UserLocale(user)
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
