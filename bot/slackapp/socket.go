package slackapp

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// DefaultMaxInFlight bounds the Socket Mode envelopes handled at once. Each
// acks within the ack budget, so this many slow ones cannot hold up the
// next for longer than that.
const DefaultMaxInFlight = 64

// ackTimeout bounds the queueing of one acknowledgement.
const ackTimeout = 5 * time.Second

// RunSocketMode receives commands, interactions and events over Socket Mode
// until ctx ends, reconnecting after disconnects and network loss, and
// slowly while Slack refuses the app token (see SocketStatus). Envelopes
// are handled concurrently, at most Config.MaxInFlight at a time, and each
// is acknowledged within the ack budget, with the answer when it is ready
// by then (commands and modal submissions carry it in the ack) and through
// its response_url when it is not. hello and disconnect are Slack's
// messages, never acknowledged; envelopes askdesk does not handle are
// acknowledged and ignored. An envelope is acted on once, even if Slack
// sends it again. When ctx ends, RunSocketMode stops taking envelopes,
// waits for those in hand to be acknowledged, then closes the connection.
func (a *App) RunSocketMode(ctx context.Context) error {
	client := socketmode.New(a.api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	a.socket.set(func(h *socketHealth) { h.running = true })

	// The connection outlives ctx by as long as the envelopes in hand take
	// to be acknowledged over it.
	conn, closeConn := context.WithCancel(context.WithoutCancel(ctx))
	defer closeConn()
	var connDone sync.WaitGroup
	connDone.Go(func() { a.connectLoop(ctx, conn, client.RunContext) })

	var inHand sync.WaitGroup
	a.receive(ctx, conn, client, &inHand)
	inHand.Wait()
	closeConn()
	connDone.Wait()
	return nil
}

// receive hands each envelope to a goroutine of its own, at most
// MaxInFlight at once, until ctx ends.
func (a *App) receive(ctx, conn context.Context, client *socketmode.Client, inHand *sync.WaitGroup) {
	n := a.cfg.MaxInFlight
	if n <= 0 {
		n = DefaultMaxInFlight
	}
	slots := make(chan struct{}, n)
	for {
		var evt socketmode.Event
		select {
		case <-ctx.Done():
			return
		case evt = <-client.Events:
		}
		received := time.Now()
		if !a.socketControl(ctx, client, evt) {
			continue
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		inHand.Go(func() {
			defer func() { <-slots }()
			a.socketEnvelope(conn, client, evt, received)
		})
	}
}

// socketControl handles what is not an envelope to act on: the
// connection's own events, hello, and messages slack-go could not parse
// (acknowledged and ignored when they carry an envelope_id). It reports
// whether evt is an envelope for socketEnvelope.
func (a *App) socketControl(ctx context.Context, client *socketmode.Client, evt socketmode.Event) bool {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		return false
	case socketmode.EventTypeConnected:
		a.connected()
		a.log.InfoContext(ctx, "socket mode connected")
		return false
	case socketmode.EventTypeHello:
		// Slack's greeting: it has no envelope_id and is never acked.
		return false
	case socketmode.EventTypeDisconnect, socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		a.socket.set(func(h *socketHealth) { h.connected = false })
		a.log.InfoContext(ctx, "socket mode disconnected", "type", evt.Type)
		return false
	case socketmode.EventTypeErrorBadMessage:
		a.ackUnhandled(ctx, client, evt)
		return false
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		return evt.Request != nil && evt.Request.EnvelopeID != ""
	}
	a.log.DebugContext(ctx, "socket mode event", "type", evt.Type)
	return false
}

// ackUnhandled acknowledges an envelope slack-go could not parse (a type
// askdesk does not know, an event type added later), so that Slack does
// not send it again, and otherwise ignores it.
func (a *App) ackUnhandled(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		return
	}
	var env struct {
		EnvelopeID string `json:"envelope_id"`
		Type       string `json:"type"`
	}
	if json.Unmarshal(bad.Message, &env) != nil || env.EnvelopeID == "" {
		a.log.WarnContext(ctx, "socket mode message not understood", "err", bad.Cause)
		return
	}
	a.log.InfoContext(ctx, "ignored an envelope askdesk does not handle", "envelope_id", env.EnvelopeID, "type", env.Type, "reason", bad.Cause)
	a.ack(ctx, client, env.EnvelopeID, "", time.Now(), nil)
}

// socketEnvelope acts on one envelope and acknowledges it.
func (a *App) socketEnvelope(conn context.Context, client *socketmode.Client, evt socketmode.Event, received time.Time) {
	id := evt.Request.EnvelopeID
	ctx := withRequestID(conn, id)
	kind := envelopeKind(evt.Type)
	switch data := evt.Data.(type) {
	case slack.SlashCommand:
		v, inTime := a.within(ctx, func(ctx context.Context) any {
			if !a.firstEnvelope(ctx, id) {
				return nil
			}
			return a.HandleCommand(ctx, data)
		}, func(ctx context.Context, v any) {
			r, _ := v.(*reply)
			a.respondCommand(ctx, data, r)
		})
		r, _ := v.(*reply)
		switch {
		case !inTime || r == nil:
			a.ack(ctx, client, id, kind, received, nil)
		case !ackFits(id, r):
			// Slack drops an ack of 20 KB or more: the whole reply goes
			// through the command's response_url instead.
			a.goFrom(ctx, func(ctx context.Context) { a.respondCommand(ctx, data, r) })
			a.ack(ctx, client, id, kind, received, nil)
		default:
			a.ack(ctx, client, id, kind, received, r)
		}
	case slack.InteractionCallback:
		v, inTime := a.within(ctx, func(ctx context.Context) any {
			if !a.firstEnvelope(ctx, id) {
				return nil
			}
			return a.HandleInteraction(ctx, data)
		}, func(ctx context.Context, v any) { a.lateInteraction(ctx, data, v) })
		switch {
		case !inTime || isNilMsg(v):
			a.ack(ctx, client, id, kind, received, nil)
		case !ackFits(id, v):
			a.lateInteraction(ctx, data, v)
			a.ack(ctx, client, id, kind, received, nil)
		default:
			a.ack(ctx, client, id, kind, received, v)
		}
	case slackevents.EventsAPIEvent:
		a.socketEvent(ctx, client, id, kind, received, data)
	default:
		a.ack(ctx, client, id, kind, received, nil)
	}
}

// socketEvent records an Events API event as seen and acknowledges it,
// then acts on it beside the loop, so that a slow Web API call (fetching a
// message for intake) never holds up an ack. An event that cannot be
// recorded in time is not acknowledged: Slack sends it again.
func (a *App) socketEvent(ctx context.Context, client *socketmode.Client, id, kind string, received time.Time, ev slackevents.EventsAPIEvent) {
	key := "envelope:" + id
	if cbe, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && cbe.EventID != "" {
		// Slack's retries of an event keep its event_id.
		key = "event:" + cbe.EventID
	}
	sctx, cancel := context.WithTimeout(ctx, a.ackBudget())
	first, err := a.store.FirstSeen(sctx, key, a.clock.Now())
	cancel()
	if err != nil {
		a.log.ErrorContext(ctx, "event not recorded; not acknowledged, so Slack sends it again", "err", err)
		return
	}
	// The work is started before the ack, so that whoever sees the ack
	// (a test waiting for the work, shutdown) sees the work too.
	if first {
		a.goFrom(ctx, func(ctx context.Context) { a.HandleEvent(ctx, ev) })
	}
	a.ack(ctx, client, id, kind, received, nil)
}

// firstEnvelope records a command's or an interaction's envelope as seen
// and reports whether it is new. A store that cannot say lets it through:
// the handler meets the same store and answers why it failed.
func (a *App) firstEnvelope(ctx context.Context, id string) bool {
	first, err := a.store.FirstSeen(ctx, "envelope:"+id, a.clock.Now())
	if err != nil {
		a.log.WarnContext(ctx, "envelope not recorded as seen", "err", err)
		return true
	}
	return first
}

// ack acknowledges envelope id with payload (nil for none), telling the
// observer how long after receipt it went, for kind.
func (a *App) ack(ctx context.Context, client *socketmode.Client, id, kind string, received time.Time, payload any) {
	a.ackTimer(kind, received)()
	if isNilMsg(payload) {
		payload = nil // no "payload": null
	}
	actx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := client.AckCtx(actx, id, payload); err != nil {
		a.log.WarnContext(ctx, "ack not sent", "err", err)
	}
}

// envelopeKind names what a Socket Mode envelope carries, for Observer.Acked.
func envelopeKind(t socketmode.EventType) string {
	switch t {
	case socketmode.EventTypeSlashCommand:
		return AckCommand
	case socketmode.EventTypeInteractive:
		return AckInteraction
	case socketmode.EventTypeEventsAPI:
		return AckEvent
	}
	return ""
}
