package slackapp

import (
	"context"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// userTTL is how long a users.info answer is trusted.
const userTTL = 12 * time.Hour

// userInfo is what askdesk needs of a Slack user.
type userInfo struct {
	name    string // display name, else real name, else handle
	tz      string // IANA zone
	locale  string // Slack's locale ("zh-CN"), as users.info gives it with include_locale
	isBot   bool
	fetched time.Time
}

// userCache keeps users.info answers, so a busy channel costs one call per
// person per TTL.
type userCache struct {
	mu       sync.Mutex
	m        map[string]userInfo
	inflight map[string]bool
}

// user returns what Slack says of id, from the cache when fresh.
func (a *App) user(ctx context.Context, id string) (userInfo, error) {
	now := a.clock.Now()
	a.users.mu.Lock()
	u, ok := a.users.m[id]
	a.users.mu.Unlock()
	if ok && now.Sub(u.fetched) < userTTL {
		return u, nil
	}
	if err := a.paced("users.info", ""); err != nil {
		return u, err
	}
	su, err := a.api.GetUserInfoContext(ctx, id)
	if err != nil {
		return u, classify(err)
	}
	u = userInfo{name: su.Profile.DisplayName, tz: su.TZ, locale: su.Locale, isBot: su.IsBot, fetched: now}
	if u.name == "" {
		u.name = su.RealName
	}
	if u.name == "" {
		u.name = su.Name
	}
	a.users.mu.Lock()
	if a.users.m == nil {
		a.users.m = map[string]userInfo{}
	}
	a.users.m[id] = u
	a.users.mu.Unlock()
	return u, nil
}

// UserZone implements bot.ZoneFinder from the cache only, so a reply is
// never held up by Slack: an unknown user is looked up in the background and
// their zone is used from their next request on.
func (a *App) UserZone(id string) (string, bool) {
	a.users.mu.Lock()
	u, ok := a.users.m[id]
	a.users.mu.Unlock()
	if !ok || a.clock.Now().Sub(u.fetched) >= userTTL {
		a.lookupLater(id)
	}
	return u.tz, ok && u.tz != ""
}

// UserLocale implements bot.LocaleFinder as UserZone does bot.ZoneFinder:
// from the cache only, looking an unknown user up in the background.
// (slack-go asks users.info for the locale: include_locale is on.)
func (a *App) UserLocale(id string) (string, bool) {
	a.users.mu.Lock()
	u, ok := a.users.m[id]
	a.users.mu.Unlock()
	if !ok || a.clock.Now().Sub(u.fetched) >= userTTL {
		a.lookupLater(id)
	}
	return u.locale, ok && u.locale != ""
}

// CachedUserLocale implements bot.LocaleCache: UserLocale without the
// lookup, so what must cost no users.info call (a filing's reply, a note
// turning an envelope away) still reads in the language of a person
// already seen. A stale answer is still the person's language.
func (a *App) CachedUserLocale(id string) (string, bool) {
	a.users.mu.Lock()
	u, ok := a.users.m[id]
	a.users.mu.Unlock()
	return u.locale, ok && u.locale != ""
}

var (
	_ bot.LocaleFinder = (*App)(nil)
	_ bot.LocaleCache  = (*App)(nil)
)

// lookupLater fetches a user in the background (work that shutdown waits
// for), once at a time per user.
func (a *App) lookupLater(id string) {
	a.users.mu.Lock()
	if a.users.inflight == nil {
		a.users.inflight = map[string]bool{}
	}
	if a.users.inflight[id] {
		a.users.mu.Unlock()
		return
	}
	a.users.inflight[id] = true
	a.users.mu.Unlock()
	a.Go(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if _, err := a.user(ctx, id); err != nil {
			a.log.DebugContext(ctx, "users.info", "user", id, "err", err)
		}
		a.users.mu.Lock()
		delete(a.users.inflight, id)
		a.users.mu.Unlock()
	})
}
