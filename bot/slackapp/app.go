// Package slackapp connects the desk to a Slack workspace: slash commands,
// buttons, modals, events and thread replies come in over Socket Mode or
// HTTP; cards, thread lines and DMs go out through the desk's outbox. It is
// a thin adapter: every decision is the desk's.
package slackapp

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/sync/semaphore"

	"github.com/askdesk/askdesk/bot"
)

// Store is what the adapter keeps in the database beside the desk's data.
// store.DB implements it.
type Store interface {
	SlackPost(ctx context.Context, requestID, kind, dest string) (channel, ts string, ok bool, err error)
	SaveSlackPost(ctx context.Context, requestID, kind, dest, channel, ts string) error
	RequestByThread(ctx context.Context, channel, ts string) (requestID, kind string, ok bool, err error)
	RequestByPost(ctx context.Context, channel, ts, kind string) (requestID string, ok bool, err error)
	FirstSeen(ctx context.Context, id string, at time.Time) (bool, error)
	SlackChannel(ctx context.Context, dest string) (channel string, ok bool, err error)
}

// Config is the Slack connection.
type Config struct {
	BotToken      string // xoxb-…
	SigningSecret string // verifies HTTP requests; unused in Socket Mode
	AppToken      string // xapp-…: Socket Mode when set
	APIURL        string // Web API base; "" for Slack's own
	// DepartmentField is the Slack profile field that says a person's
	// department ([slack] department_field); "" reads no profiles.
	DepartmentField string
	// IntakeEmoji is the reaction that files a message in an intake
	// channel as a request ("ticket" by default).
	IntakeEmoji string
	// Observer, when set, hears of every Web API call and acknowledgement.
	Observer Observer
	// SharedStore says that other replicas serve the same workspace from
	// the same store: a Socket Mode envelope could reach one that never
	// saw it, so envelope IDs are also remembered in the store. (HTTP
	// signatures always are: a replay may follow a restart.)
	SharedStore bool
	// MaxBodyBytes bounds the bytes of HTTP request bodies being read at
	// once, before their signatures are checked; 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// AckBudget is how long a command or an interaction is worked on
	// before its acknowledgement goes without the answer, which then
	// follows through response_url; 0 means DefaultAckBudget.
	AckBudget time.Duration
	// MaxInFlight bounds the Socket Mode envelopes handled at once; 0
	// means DefaultMaxInFlight.
	MaxInFlight int
	// PingTimeout is how long a Socket Mode connection may go without a
	// ping or a message from Slack before it is replaced; 0 means 30 s.
	PingTimeout time.Duration
	// ReconnectWait waits d before a Socket Mode reconnection, or returns
	// early with ctx's error; nil waits on a timer. Tests see the pace
	// through it.
	ReconnectWait func(ctx context.Context, d time.Duration) error
}

// Kinds of slack_posts rows.
const (
	postCard   = "card"
	postDM     = "dm"
	postRating = "rating" // the rating prompt: reactions to it rate
	// postIM is a person's DM channel with askdesk (request ID "", dest
	// the user, ts ""), kept so conversations.open is called once per person.
	postIM = "im"
)

// App is the Slack adapter. It implements bot.Chat.
type App struct {
	// groupsMu serialises reading user groups from Slack (groups.go).
	groupsMu sync.Mutex
	cfg      Config
	api      *slack.Client
	hooks    *http.Client // response_url POSTs
	desk     *bot.Desk
	// Surveys answers the quarterly survey's form; nil disables it.
	Surveys bot.Surveys
	dir     *bot.Directory
	store   Store
	clock   bot.Clock
	log     *slog.Logger
	pace    *pacer
	// reactions is the budget of the bot's rating reactions (reactions.go).
	reactions *reactionBudget

	// work tracks what runs after an acknowledgement, so shutdown can wait
	// for it; base is its context, cancelled only by Abort, when that wait
	// ran out of time.
	work  sync.WaitGroup
	base  context.Context
	abort context.CancelFunc

	dmChannels sync.Map     // user ID → DM channel ID
	channelIDs sync.Map     // channel as posted to ("#name") → its ID
	teamURL    atomic.Value // workspace URL from auth.test, for permalinks
	users      userCache
	replays    replayGuard         // signatures seen, to refuse replays
	bodies     *semaphore.Weighted // bytes of HTTP bodies being read (limits.go)
	socket     socketHealth
	envelopes  replayGuard // Socket Mode envelope IDs seen, to act on each once
	homes      *homes      // open Home tabs and their pending publishes (homepub.go)
}

var _ bot.Chat = (*App)(nil)

// New returns an adapter. Call SetDesk before serving: the desk and the
// adapter refer to each other.
func New(cfg Config, dir *bot.Directory, store Store, clock bot.Clock, log *slog.Logger) *App {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.IntakeEmoji == "" {
		cfg.IntakeEmoji = "ticket"
	}
	// slack-go's default client has no timeout: one hung connection
	// would stall delivery, which is serialised.
	hc := &http.Client{Timeout: apiTimeout}
	if cfg.Observer != nil {
		hc.Transport = observedTransport{next: http.DefaultTransport, obs: cfg.Observer}
	}
	opts := []slack.Option{
		slack.OptionLog(slog.NewLogLogger(log.Handler(), slog.LevelDebug)),
		slack.OptionHTTPClient(hc),
	}
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(cfg.APIURL))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	base, abort := context.WithCancel(context.Background())
	return &App{bodies: semaphore.NewWeighted(cfg.MaxBodyBytes),
		cfg: cfg, api: slack.New(cfg.BotToken, opts...), hooks: webhookClient(cfg.Observer), dir: dir, store: store, clock: clock,
		log: log.With("component", "slack"), pace: newPacer(), reactions: newReactionBudget(), base: base, abort: abort, homes: newHomes(),
	}
}

// apiTimeout bounds every Web API call.
const apiTimeout = 20 * time.Second

// Go runs f after an acknowledgement, under a context that shutdown does
// not cancel (but Abort does): work Slack was told is done must not be
// dropped half way. Wait waits for it.
func (a *App) Go(f func(ctx context.Context)) {
	a.work.Add(1)
	go func() {
		defer a.work.Done()
		f(a.base)
	}()
}

// Abort cancels the context of the work started with Go, for a shutdown
// that waited for it long enough; Wait then sees it end.
func (a *App) Abort() { a.abort() }

// Wait blocks until the work started with Go is done, or ctx ends.
func (a *App) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { a.work.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetDesk connects the desk the adapter feeds. The two refer to each
// other by nature: the adapter turns Slack's payloads into the desk's acts,
// and the desk sends its messages through the adapter (bot.Chat); one of
// them must be given the other after both exist. The adapter uses the desk
// only through its API (File, Do, Command, Rate, Request, …), never its
// store.
func (a *App) SetDesk(d *bot.Desk) { a.desk = d }

// directory is the desk's directory in force (the catalogue may change it
// at any time), or the one New was given before the desk is set.
func (a *App) directory() *bot.Directory {
	if a.desk != nil {
		return a.desk.Dir()
	}
	return a.dir
}

// API returns the Web API client, for Socket Mode.
func (a *App) API() *slack.Client { return a.api }
