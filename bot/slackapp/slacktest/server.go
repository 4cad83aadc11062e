// Package slacktest is a fake Slack for end-to-end tests and load tools: the
// Web API methods askdesk uses and a Socket Mode websocket, served over real
// HTTP by net/http/httptest.
//
// Point slack-go at it with slack.OptionAPIURL(srv.URL) and, for Socket
// Mode, slack.OptionAppLevelToken("xapp-…"): socketmode calls
// apps.connections.open, which answers with the fake's websocket URL.
//
// The fake records every Web API call (Calls, WaitCalls), keeps what the bot
// posted (Messages), can be told to fail (Fail, FailWith), and drives the
// Socket Mode side from the test (SendEnvelope, WaitAck, Disconnect,
// DropConnection). All methods are safe for concurrent use. Waits block on a
// broadcast channel that every change closes; nothing polls or sleeps.
package slacktest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Identities the fake answers with (auth.test, message authors, hello).
const (
	TeamID    = "T0FAKE001"
	TeamName  = "Askdesk Fake"
	BotUserID = "U0BOTUSER"
	BotID     = "B0BOT0001"
	AppID     = "A0APP0001"
	// Workspace is the host in permalinks and auth.test's url.
	Workspace = "askdesk-fake.slack.com"
)

// UploadMethod is the Call.Method recorded for a file body POSTed to an
// upload_url from files.getUploadURLExternal (not a Slack method).
const UploadMethod = "upload"

// ErrClosed is returned by waits when the server is closed.
var ErrClosed = errors.New("slacktest: server closed")

// Server is a running fake Slack. Create it with New and stop it with Close.
type Server struct {
	// URL is the Web API base for slack.OptionAPIURL, with a trailing slash:
	// "http://127.0.0.1:PORT/api/".
	URL string

	srv          *httptest.Server
	base         string // http://127.0.0.1:PORT
	pingInterval time.Duration
	botToken     string
	appToken     string

	wg sync.WaitGroup // socket handlers, which httptest does not wait for

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change
	closed  bool

	calls    []Call
	failures map[string]*failure
	delays   map[string]*delay
	tiers    map[string]*tier // rate limits set by WithTier
	held     map[string]int   // calls being held by a delay, by method
	closing  chan struct{}    // closed by Close: delayed calls stop waiting

	tsSeq     int // ts of posts, so they do not depend on other calls
	now       func() time.Time
	lastTS    int64 // µs of the last ts assigned from now
	seq       int   // view and file IDs, hashes
	ticketSeq int   // socket tickets, apart so reconnects do not shift IDs
	usedTS    map[string]bool
	names     map[string]string // channel name -> ID
	users     map[string]User
	// usergroups and profileFields: usergroups.go
	usergroups    map[string]Usergroup
	profileFields map[string]map[string]string  // user → field ID → value
	msgs          map[string]map[string]*stored // channel ID -> ts -> message
	reactions     map[string][]string           // "channel/ts" -> names the bot added
	views         map[string]*View
	homes         map[string]string // user -> home view ID
	files         map[string]*File
	opened        map[string]bool // DM channels opened by conversations.open
	outside       map[string]bool // channels the bot is not a member of
	tickets       map[string]bool // unused socket tickets
	conns         []*socketConn   // open, newest last
	accepted      int             // socket connections ever accepted
	acks          map[string][]byte
	ackCount      map[string]int
	sent          map[string]time.Time // envelope ID -> last sent
	ackedAt       map[string]time.Time // envelope ID -> first acked
	strayAcks     []string             // acks of envelopes never sent

	ephemerals []Shown // chat.postEphemeral messages, oldest first
	pressSeq   int     // presses, for their trigger_id and response_url
}

// Call is one request the fake received, recorded after it was answered.
type Call struct {
	Method string
	// Params holds form and query values; for a JSON body, its top-level
	// keys, strings as they are and other values JSON-encoded.
	Params url.Values
	Body   []byte
	// Token is the Authorization bearer token, or else the token param.
	Token string
	At    time.Time
	// Status is the HTTP status answered; Error the Slack error code when
	// the answer was {"ok":false}.
	Status int
	Error  string
}

// Option configures New.
type Option func(*Server)

// WithPingInterval sets how often the fake pings each websocket (default
// 1s). slack-go's socketmode client reconnects when no ping arrives within
// its own interval (30s unless socketmode.OptionPingInterval).
func WithPingInterval(d time.Duration) Option {
	return func(s *Server) { s.pingInterval = d }
}

// WithClock makes posts take their ts from now, as Slack's do from its
// own clock (each at least 100µs after the one before, so they stay unique
// and increasing), for tests whose clock is far from the fixed ts the fake
// otherwise counts up from: a conversations.history read from a time on
// that clock then finds what was posted after it.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithBotToken makes every Web API method but apps.connections.open answer
// invalid_auth unless called with exactly this token. Without it any
// xoxb-/xoxp- token is accepted.
func WithBotToken(token string) Option {
	return func(s *Server) { s.botToken = token }
}

// WithAppToken makes apps.connections.open answer invalid_auth unless called
// with exactly this token. Without it any xapp- token is accepted.
func WithAppToken(token string) Option {
	return func(s *Server) { s.appToken = token }
}

// New starts a fake Slack on a local port. Close stops it.
func New(opts ...Option) *Server {
	s := &Server{
		pingInterval: time.Second,
		changed:      make(chan struct{}),
		failures:     map[string]*failure{},
		delays:       map[string]*delay{},
		held:         map[string]int{},
		closing:      make(chan struct{}),
		usedTS:       map[string]bool{},
		names:        map[string]string{},
		users:        map[string]User{},
		msgs:         map[string]map[string]*stored{},
		reactions:    map[string][]string{},
		views:        map[string]*View{},
		homes:        map[string]string{},
		files:        map[string]*File{},
		opened:       map[string]bool{},
		outside:      map[string]bool{},
		tickets:      map[string]bool{},
		acks:         map[string][]byte{},
		ackCount:     map[string]int{},
		sent:         map[string]time.Time{},
		ackedAt:      map[string]time.Time{},
	}
	for _, opt := range opts {
		opt(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/upload/", s.serveUpload)
	mux.HandleFunc("/socket", s.serveSocket)
	mux.HandleFunc("/response/", s.serveResponseURL)
	s.srv = httptest.NewServer(mux)
	s.base = s.srv.URL
	s.URL = s.base + "/api/"
	return s
}

// Close closes every websocket, stops the server and waits for its
// handlers. Waits in progress return ErrClosed. Close is idempotent.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.closing)
	conns := append([]*socketConn(nil), s.conns...)
	s.broadcastLocked()
	s.mu.Unlock()

	for _, c := range conns {
		_ = c.ws.Close()
	}
	s.srv.Close()
	s.wg.Wait()
}

// broadcastLocked wakes every wait. s.mu must be held.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until cond, called with s.mu held, is true, ctx ends (its
// error) or the server closes (ErrClosed).
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		if s.closed {
			s.mu.Unlock()
			return ErrClosed
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Calls returns every call recorded since New or Reset, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the recorded calls to method ("*" for all), oldest first.
func (s *Server) CallsTo(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsToLocked(method)
}

func (s *Server) callsToLocked(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if method == "*" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls to method ("*" for any) have been
// recorded, and returns them all. A call is recorded once its effect (a
// posted message, say) is visible. If ctx ends first it returns the calls so
// far and an error wrapping ctx's.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) ([]Call, error) {
	err := s.wait(ctx, func() bool { return len(s.callsToLocked(method)) >= n })
	calls := s.CallsTo(method)
	if err != nil {
		return calls, fmt.Errorf("wait for %d calls to %s, got %d: %w", n, method, len(calls), err)
	}
	return calls, nil
}

// Reset forgets the recorded calls and socket acks. Data (users, messages,
// views) and failure rules stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.acks = map[string][]byte{}
	s.ackedAt = map[string]time.Time{}
	s.strayAcks = nil
	s.broadcastLocked()
}

// failure is a rule set by Fail or FailWith.
type failure struct {
	times      int // left; <0 until Recover
	status     int
	retryAfter int
	slackError string
}

// Fail makes the next times calls to method ("*" for every method without
// a rule of its own) answer HTTP status with no Slack processing. A 429
// carries Retry-After: retryAfterSeconds (omitted if negative) and the body
// {"ok":false,"error":"ratelimited"}, which slack-go reports as
// *slack.RateLimitedError; other statuses get a short HTML body, which
// slack-go reports as slack.StatusCodeError. times < 0 fails until Recover;
// times == 0 removes the rule.
func (s *Server) Fail(method string, times, status, retryAfterSeconds int) {
	s.setFailure(method, &failure{times: times, status: status, retryAfter: retryAfterSeconds})
}

// FailWith makes the next times calls to method ("*" as in Fail) answer
// HTTP 200 {"ok":false,"error":slackError}, e.g. "channel_not_found" or
// "not_in_channel". times < 0 fails until Recover; times == 0 removes it.
func (s *Server) FailWith(method string, times int, slackError string) {
	s.setFailure(method, &failure{times: times, status: http.StatusOK, slackError: slackError})
}

func (s *Server) setFailure(method string, f *failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.times == 0 {
		delete(s.failures, method)
		return
	}
	s.failures[method] = f
}

// Recover removes every failure rule.
func (s *Server) Recover() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = map[string]*failure{}
}

// takeFailureLocked returns the rule that applies to this call of method,
// using up one of its times, or nil.
func (s *Server) takeFailureLocked(method string) *failure {
	f := s.failures[method]
	if f == nil {
		f = s.failures["*"]
	}
	if f == nil {
		return nil
	}
	if f.times > 0 {
		f.times--
		if f.times == 0 {
			for k, v := range s.failures {
				if v == f {
					delete(s.failures, k)
				}
			}
		}
	}
	return f
}

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}
