package slackapp

import (
	"bytes"
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

// MaxBody bounds a request from Slack. Slash commands and interaction
// payloads are a few kilobytes; a view submission with a long text field is
// the largest.
const MaxBody = 1 << 20

// Handler serves Slack's HTTP requests: POST /slack/commands,
// /slack/interactions and /slack/events. Every request's signature is
// checked before anything in it is parsed; a bad one gets 401 and changes
// nothing. ctx bounds the work started after an acknowledgement.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /slack/commands", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		if form.Get("ssl_check") == "1" {
			w.WriteHeader(http.StatusOK)
			return
		}
		r.Body, r.Form, r.PostForm = io.NopCloser(bytes.NewReader(body)), nil, nil
		cmd, err := slack.SlashCommandParse(r)
		if err != nil {
			http.Error(w, "bad slash command", http.StatusBadRequest)
			return
		}
		writeJSON(w, a.HandleCommand(r.Context(), cmd))
	}))
	mux.Handle("POST /slack/interactions", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("payload") == "" {
			http.Error(w, "missing payload", http.StatusBadRequest)
			return
		}
		var cb slack.InteractionCallback
		if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		writeJSON(w, a.HandleInteraction(r.Context(), cb))
	}))
	mux.Handle("POST /slack/events", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
		if err != nil {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		switch ev.Type {
		case slackevents.URLVerification:
			uv, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
			if !ok {
				http.Error(w, "bad url_verification", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, uv.Challenge)
		case slackevents.CallbackEvent:
			cbe, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
			if !ok {
				http.Error(w, "bad event_callback", http.StatusBadRequest)
				return
			}
			// Slack retries an event it thinks failed (X-Slack-Retry-Num);
			// the event ID makes sure it is acted on once.
			first := true
			if cbe.EventID != "" {
				var err error
				if first, err = a.store.FirstSeen(r.Context(), "event:"+cbe.EventID, a.clock.Now()); err != nil {
					http.Error(w, "store unavailable", http.StatusServiceUnavailable)
					return
				}
			}
			w.WriteHeader(http.StatusOK)
			if first {
				a.goFrom(r.Context(), func(ctx context.Context) { a.HandleEvent(ctx, ev) })
			}
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	return mux
}

// verified reads a size-limited body and checks Slack's v0 signature (HMAC
// over "v0:timestamp:body", five-minute window, constant-time compare)
// before handing it on; a signature seen before is a replay (replay.go).
func (a *App) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r = r.WithContext(withRequestID(r.Context(), newRequestID()))
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil || a.cfg.SigningSecret == "" {
			a.log.WarnContext(r.Context(), "rejected unsigned or forged request", "path", r.URL.Path, "remote", r.RemoteAddr)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		// Events are deduplicated by event ID instead, and a retry must
		// get its 200 whatever its timestamp.
		if r.URL.Path != "/slack/events" && !a.firstSignature(r.Context(), r.Header.Get("X-Slack-Signature")) {
			a.log.WarnContext(r.Context(), "rejected a replayed request", "path", r.URL.Path, "remote", r.RemoteAddr)
			http.Error(w, "replayed request", http.StatusUnauthorized)
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

// firstSignature reports whether a request's signature is new: to this
// process, and with replicas to the shared store too. A store that cannot
// say is not a reason to refuse Slack: the local memory still holds.
func (a *App) firstSignature(ctx context.Context, sig string) bool {
	if !a.replays.first(sig, time.Now()) {
		return false
	}
	if !a.cfg.SharedStore {
		return true
	}
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

func isNilMsg(v any) bool {
	switch m := v.(type) {
	case *slack.Msg:
		return m == nil
	case *slack.ViewSubmissionResponse:
		return m == nil
	}
	return false
}
