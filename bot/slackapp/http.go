package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// Handler serves Slack's HTTP requests: POST /slack/commands,
// /slack/interactions and /slack/events. Every request's signature is
// checked before anything in it is parsed; a bad one gets 401 and changes
// nothing. The one exception is Slack's unsigned ssl_check to the commands
// URL, which is answered 200 and nothing else. Commands and interactions
// are answered within the ack budget: with the reply when it is ready by
// then, else with a bare 200 and the reply through response_url after.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /slack/commands", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) { //i18n:ok route pattern
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "bad form", http.StatusBadRequest) //i18n:ok HTTP error for Slack's servers
			return
		}
		if form.Get("ssl_check") == "1" {
			w.WriteHeader(http.StatusOK)
			return
		}
		cmd := slashCommand(form)
		v, inTime := a.within(r.Context(), deadline(r.Context(), a.ackBudget()), func(ctx context.Context) any { return a.HandleCommand(ctx, cmd) },
			func(ctx context.Context, v any) {
				rep, _ := v.(*reply)
				a.respondCommand(ctx, cmd, rep)
			})
		if !inTime {
			w.WriteHeader(http.StatusOK)
			return
		}
		writeJSON(w, v)
	}))
	mux.Handle("POST /slack/interactions", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) { //i18n:ok route pattern
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("payload") == "" {
			http.Error(w, "missing payload", http.StatusBadRequest) //i18n:ok HTTP error for Slack's servers
			return
		}
		var cb slack.InteractionCallback
		if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest) //i18n:ok HTTP error for Slack's servers
			return
		}
		v, inTime := a.within(r.Context(), deadline(r.Context(), a.ackBudget()), func(ctx context.Context) any { return a.HandleInteraction(ctx, cb) },
			func(ctx context.Context, v any) { a.lateInteraction(ctx, cb, v) })
		if !inTime {
			w.WriteHeader(http.StatusOK)
			return
		}
		writeJSON(w, v)
	}))
	mux.Handle("POST /slack/events", a.verified(a.serveEvent)) //i18n:ok route pattern
	return mux
}

// slashCommand reads a slash command from its form, field by field as
// slack.SlashCommandParse does; that one reads the form from the request,
// whose body verified has read already. TestSlashCommandReadAsSlackGoDoes
// checks the two agree.
func slashCommand(form url.Values) slack.SlashCommand {
	return slack.SlashCommand{
		Token:               form.Get("token"),
		TeamID:              form.Get("team_id"),
		TeamDomain:          form.Get("team_domain"),
		EnterpriseID:        form.Get("enterprise_id"),
		EnterpriseName:      form.Get("enterprise_name"),
		IsEnterpriseInstall: form.Get("is_enterprise_install") == "true",
		ChannelID:           form.Get("channel_id"),
		ChannelName:         form.Get("channel_name"),
		UserID:              form.Get("user_id"),
		UserName:            form.Get("user_name"),
		Command:             form.Get("command"),
		Text:                form.Get("text"),
		ResponseURL:         form.Get("response_url"),
		TriggerID:           form.Get("trigger_id"),
		APIAppID:            form.Get("api_app_id"),
	}
}

// serveEvent answers the Events API: the URL check, and event callbacks,
// recorded as seen (503 when that fails, so Slack sends it again) and acted
// on after the 200. Anything else Slack sends that is well-formed, event
// types askdesk does not handle or that were added later included, gets a
// 200 and is ignored: an error would only make Slack send it again.
func (a *App) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	var outer struct {
		Type      string          `json:"type"`
		Challenge string          `json:"challenge"`
		EventID   string          `json:"event_id"`
		Event     json.RawMessage `json:"event"`
	}
	if err := json.Unmarshal(body, &outer); err != nil || outer.Type == "" {
		http.Error(w, "bad event", http.StatusBadRequest) //i18n:ok HTTP error for Slack's servers
		return
	}
	switch outer.Type {
	case slackevents.URLVerification:
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, outer.Challenge)
		return
	case slackevents.CallbackEvent:
	default:
		w.WriteHeader(http.StatusOK)
		return
	}
	if a.groupEvent(r.Context(), outer.Event) { // read again whole: no need to record it
		w.WriteHeader(http.StatusOK)
		return
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		a.log.InfoContext(r.Context(), "ignored an event askdesk does not handle", "type", innerType(outer.Event), "reason", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	// Slack retries an event it thinks failed (X-Slack-Retry-Num); the
	// event ID makes sure it is acted on once. Recording it is bounded by
	// the ack budget: past it, 503, and Slack sends it again.
	first := true
	if outer.EventID != "" {
		ctx, cancel := context.WithDeadline(r.Context(), deadline(r.Context(), a.ackBudget()))
		first, err = a.store.FirstSeen(ctx, "event:"+outer.EventID, a.clock.Now())
		cancel()
		if err != nil {
			a.log.ErrorContext(r.Context(), "event not recorded; answering 503 so that Slack sends it again", "err", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable) //i18n:ok HTTP error for Slack's servers
			return
		}
	}
	if first {
		a.goFrom(r.Context(), func(ctx context.Context) { a.HandleEvent(ctx, ev) })
	}
	w.WriteHeader(http.StatusOK)
}

// innerType is the type of an event callback's inner event, for the log.
func innerType(raw json.RawMessage) string {
	var e struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &e)
	return e.Type
}

// verified checks Slack's v0 signature (HMAC over "v0:timestamp:body",
// five-minute window, constant-time compare) before handing the body on;
// a signature seen before is a replay (replay.go). What it costs a client
// that is not Slack is bounded (limits.go): headers that cannot pass are
// refused before the body is read, bodies over their URL's cap with 413,
// and a body over a few kilobytes is read only within the budget shared
// by all those being read (503 when that stays full past the ack budget).
func (a *App) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r = r.WithContext(withArrival(withSlackID(r.Context(), newSlackID()), start))
		ts, sig := r.Header.Get("X-Slack-Request-Timestamp"), r.Header.Get("X-Slack-Signature")
		if sig == "" || ts == "" {
			// Slack checks a commands URL's certificate with an unsigned
			// ssl_check=1 POST: the one unsigned request answered 200.
			// Anything else unsigned is refused before its body is read.
			if r.URL.Path == "/slack/commands" && sslCheck(r.Body) {
				w.WriteHeader(http.StatusOK)
				return
			}
			a.log.WarnContext(r.Context(), "rejected unsigned or forged request", "path", r.URL.Path, "remote", r.RemoteAddr)
			refuse(w, http.StatusUnauthorized, "invalid signature")
			return
		}
		if !plausibleSignature(ts, sig, start) {
			a.log.WarnContext(r.Context(), "rejected a request whose timestamp or signature cannot be valid, before reading its body", "path", r.URL.Path, "remote", r.RemoteAddr)
			refuse(w, http.StatusUnauthorized, "invalid signature")
			return
		}
		limit := MaxBodyOf(r.URL.Path)
		if r.ContentLength > limit {
			a.log.WarnContext(r.Context(), "rejected a request body over its cap, before reading it", "path", r.URL.Path, "remote", r.RemoteAddr, "bytes", r.ContentLength, "cap", limit)
			refuse(w, http.StatusRequestEntityTooLarge, "request too large")
			return
		}
		// Reserved for the declared length, or the cap for a chunked body.
		reserve := limit
		if r.ContentLength >= 0 {
			reserve = r.ContentLength
		}
		if reserve > smallBody {
			wait, cancel := context.WithDeadline(r.Context(), deadline(r.Context(), a.ackBudget()))
			err := a.bodies.Acquire(wait, reserve)
			cancel()
			if err != nil {
				a.log.WarnContext(r.Context(), "request bodies being read fill their budget; answered 503", "path", r.URL.Path, "remote", r.RemoteAddr)
				w.Header().Set("Retry-After", "1")
				refuse(w, http.StatusServiceUnavailable, "busy")
				return
			}
			defer a.bodies.Release(reserve)
		}
		body, err := readBody(w, r, limit)
		if errors.Is(err, errTooLarge) {
			a.log.WarnContext(r.Context(), "rejected a request body over its cap", "path", r.URL.Path, "remote", r.RemoteAddr, "cap", limit)
			refuse(w, http.StatusRequestEntityTooLarge, "request too large")
			return
		}
		if err != nil {
			refuse(w, http.StatusBadRequest, "bad request")
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil || a.cfg.SigningSecret == "" {
			a.log.WarnContext(r.Context(), "rejected unsigned or forged request", "path", r.URL.Path, "remote", r.RemoteAddr)
			refuse(w, http.StatusUnauthorized, "invalid signature")
			return
		}
		// Events are deduplicated by event ID instead, and a retry must
		// get its 200 whatever its timestamp.
		// The store gets a quarter of the budget: against a locked
		// database the rest is the handler's, to answer in the ack.
		if r.URL.Path != "/slack/events" && !a.firstSignature(r.Context(), sig, start.Add(a.ackBudget()/4)) {
			a.log.WarnContext(r.Context(), "rejected a replayed request", "path", r.URL.Path, "remote", r.RemoteAddr)
			refuse(w, http.StatusUnauthorized, "replayed request")
			return
		}
		if a.cfg.Observer != nil {
			acked := a.ackTimer(httpAckKind(r.URL.Path), start)
			defer acked() // nothing written: net/http sends 200 on return
			w = &ackWriter{ResponseWriter: w, done: acked}
		}
		next(w, r, body)
	})
}

// sslCheckMax bounds what is read of an unsigned request to see whether it
// is Slack's ssl_check ("ssl_check=1&token=…", a few dozen bytes).
const sslCheckMax = 512

// sslCheck reports whether body is Slack's ssl_check: a form of ssl_check=1
// and a token, and nothing else.
func sslCheck(body io.Reader) bool {
	b, err := io.ReadAll(io.LimitReader(body, sslCheckMax+1))
	if err != nil || len(b) > sslCheckMax {
		return false
	}
	form, err := url.ParseQuery(string(b))
	if err != nil || form.Get("ssl_check") != "1" {
		return false
	}
	for k := range form {
		if k != "ssl_check" && k != "token" {
			return false
		}
	}
	return true
}

// firstSignature reports whether a request's signature is new: to this
// process, and to the store, asked until deadline. The store remembers it
// across restarts (a request captured before one stays valid for up to
// ten minutes after it) and, with replicas, for the other replicas too. A
// store that cannot say is not a reason to refuse Slack: the local memory
// still holds.
func (a *App) firstSignature(ctx context.Context, sig string, deadline time.Time) bool {
	if !a.replays.first(sig, time.Now()) {
		return false
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	first, err := a.store.FirstSeen(ctx, "sig:"+sig, a.clock.Now())
	if err != nil {
		a.log.WarnContext(ctx, "replay check in the store failed", "err", err)
		return true
	}
	return first
}

func writeJSON(w http.ResponseWriter, v any) {
	if v == nil || isNilMsg(v) {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, strings.TrimSpace(err.Error()), http.StatusInternalServerError)
	}
}

// isNilMsg reports whether v is no answer at all: nil, or a nil pointer to
// one of the answers handlers return.
func isNilMsg(v any) bool {
	switch m := v.(type) {
	case nil:
		return true
	case *reply:
		return m == nil
	case *slack.ViewSubmissionResponse:
		return m == nil
	}
	return false
}
