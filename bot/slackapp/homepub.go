package slackapp

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
)

// Keeping Home tabs current. Whoever opened their Home since this process
// started is remembered with the query they chose; when a request of theirs
// changes (theirs to file, theirs to work, or in a department they work in)
// their Home is published again. Publishes are coalesced per person, at
// most one every homeGap, and paced under views.publish's tier (pace.go):
// a burst of changes gives one publish per person, not one per change.

// homeGap is the least time between two publishes of one person's Home.
const homeGap = 3 * time.Second

// homeIdleWait is how long RunHome sleeps with nothing due (a change
// wakes it sooner).
const homeIdleWait = time.Minute

type homeUser struct {
	query  bot.HomeQuery
	notice string
	last   time.Time // last publish
	due    time.Time // zero: nothing pending
}

// homes is the adapter's list of open Home tabs and what is pending.
type homes struct {
	mu    sync.Mutex
	users map[string]*homeUser
	wake  chan struct{}
}

func newHomes() *homes {
	return &homes{users: map[string]*homeUser{}, wake: make(chan struct{}, 1)}
}

// want schedules a publish of user's Home: now, or homeGap after the last
// one, whichever is later; a publish already pending is not moved. With
// query set, it becomes the user's query. It reports when it is due.
func (hs *homes) want(user string, now time.Time, query *bot.HomeQuery, notice string) time.Time {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	u := hs.users[user]
	if u == nil {
		u = &homeUser{}
		hs.users[user] = u
	}
	if query != nil {
		u.query = *query
	}
	if notice != "" {
		u.notice = notice
	}
	if u.due.IsZero() {
		u.due = now
		if next := u.last.Add(homeGap); next.After(now) {
			u.due = next
		}
	}
	select {
	case hs.wake <- struct{}{}:
	default:
	}
	return u.due
}

// known reports whether user opened their Home since the process started.
func (hs *homes) known(user string) bool {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return hs.users[user] != nil
}

// take returns the users whose publish is due at now, with their query and
// notice, marking them published at now; and when the next one is due
// (zero: none pending).
func (hs *homes) take(now time.Time) (due []homeJob, next time.Time) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	for user, u := range hs.users {
		switch {
		case u.due.IsZero():
		case !u.due.After(now):
			due = append(due, homeJob{user: user, query: u.query, notice: u.notice})
			u.due, u.last, u.notice = time.Time{}, now, ""
		case next.IsZero() || u.due.Before(next):
			next = u.due
		}
	}
	return due, next
}

// later puts a job back, due at at (pacing, or a failed publish).
func (hs *homes) later(j homeJob, at time.Time) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if u := hs.users[j.user]; u != nil {
		if u.due.IsZero() || at.Before(u.due) {
			u.due = at
		}
		if u.notice == "" {
			u.notice = j.notice
		}
	}
}

// watchers returns the known users r's change concerns: its requester,
// assignee, and the members and leads of deps (the department holding it,
// and the one it left, on a transfer).
func (hs *homes) watchers(r *bot.Request, deps ...*bot.Department) []string {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	var out []string
	for user := range hs.users {
		staff := false
		for _, dep := range deps {
			staff = staff || dep != nil && dep.IsStaff(user)
		}
		if user == r.Requester || user == r.Assignee || staff {
			out = append(out, user)
		}
	}
	return out
}

type homeJob struct {
	user   string
	query  bot.HomeQuery
	notice string
}

// RequestChanged is the desk's Changed hook: it schedules a publish of
// the Home of everyone the change concerns who has their Home open. It
// does not block.
func (a *App) RequestChanged(r *bot.Request, ev bot.Event) {
	now := a.clock.Now()
	dir := a.directory()
	for _, user := range a.homes.watchers(r, dir.ByName(r.Dept), dir.ByName(ev.FromDept)) {
		a.homes.want(user, now, nil, "")
	}
}

// RefreshHome schedules a publish of user's Home (with a notice on top,
// when given), whether or not they opened it before.
func (a *App) RefreshHome(user, notice string) {
	a.homes.want(user, a.clock.Now(), nil, notice)
}

// RunHome publishes Home tabs as they fall due, until ctx ends.
func (a *App) RunHome(ctx context.Context) {
	for {
		now := a.clock.Now()
		jobs, next := a.homes.take(now)
		for _, j := range jobs {
			if wait := a.pace.reserve(now, "views.publish", ""); wait > 0 {
				a.homes.later(j, now.Add(wait))
				continue
			}
			if err := a.publishHome(ctx, j); err != nil {
				a.log.WarnContext(ctx, "publish home", "user", j.user, "err", err)
				if rl, ok := classify(err).(interface{ RetryAfter() time.Duration }); ok && ctx.Err() == nil {
					a.homes.later(j, a.clock.Now().Add(max(rl.RetryAfter(), homeGap)))
				}
			}
		}
		if len(jobs) > 0 {
			continue // look again: pacing may have put some back
		}
		wait := homeIdleWait
		if !next.IsZero() {
			wait = min(max(next.Sub(a.clock.Now()), 10*time.Millisecond), homeIdleWait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-a.homes.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// publishHome builds and publishes one person's Home.
func (a *App) publishHome(ctx context.Context, j homeJob) error {
	ctx, cancel := context.WithTimeout(ctx, sideCallTimeout)
	defer cancel()
	h, err := a.desk.Home(ctx, j.user, j.query)
	if err != nil {
		return err
	}
	h.Notice = j.notice
	_, err = a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: j.user, View: HomeViewIn(a.printer(j.user), h, a.directory())})
	return err
}

// handleHomeOpened publishes the Home of who opened it, with the query its
// last published view carries (it survives a restart that way).
func (a *App) handleHomeOpened(user string, view *slack.View) {
	var q *bot.HomeQuery
	if view != nil && view.PrivateMetadata != "" && !a.homes.known(user) {
		var saved bot.HomeQuery
		if json.Unmarshal([]byte(view.PrivateMetadata), &saved) == nil {
			q = &saved
		}
	}
	a.homes.want(user, a.clock.Now(), q, "")
}
