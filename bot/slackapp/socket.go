package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// DefaultMaxInFlight bounds the Socket Mode envelopes being worked on
// before their acknowledgement. Each is acknowledged by its deadline (the
// ack budget from when it arrived), so a slot is never held longer; past
// the bound, commands and interactions are acknowledged at once with a
// note to try again, and events are left for Slack to send again.
const DefaultMaxInFlight = 64

// RunSocketMode receives commands, interactions and events over Socket
// Mode until ctx ends. Envelopes are handled concurrently, and each is
// acknowledged within the ack budget from its arrival: with the answer when
// it is ready by then (commands and form submissions carry it in the ack),
// else bare, the answer following through response_url. Slack's hello and
// disconnect are never acknowledged; envelopes and event types askdesk does
// not handle are acknowledged and ignored; an event that cannot be recorded
// is not acknowledged, so Slack sends it again.
//
// When Slack asks for a new connection (refresh_requested, warning) one is
// opened at once, and the old one is still read until Slack closes it; a
// connection that drops soon after it opened, and connecting that fails,
// back off; Slack refusing the token, or Socket Mode being turned off for
// the app (link_disabled), slows the pace to minutes and makes SocketStatus
// unhealthy until a connection works; too_many_websockets waits a minute.
// When ctx ends each connection still takes what Slack had sent for
// socketDrainWindow, then turns envelopes away, and closes once those it
// took are acknowledged; RunSocketMode returns when all are closed.
func (a *App) RunSocketMode(ctx context.Context) error {
	a.socket.set(func(h *socketHealth) { h.running = true })
	defer a.socket.set(func(h *socketHealth) { h.running, h.connected = false, false })
	n := a.cfg.MaxInFlight
	if n <= 0 {
		n = DefaultMaxInFlight
	}
	slots := make(chan struct{}, n)
	var conns sync.WaitGroup // each connection until it is closed
	defer conns.Wait()
	failures := 0
	for ctx.Err() == nil {
		conn, err := a.openSocket(ctx)
		if err != nil {
			failures++
			if a.waitReconnect(ctx, a.connectFailed(ctx, err, failures)) != nil {
				break
			}
			continue
		}
		opened := time.Now()
		ended := make(chan connEnd, 1)
		conns.Go(func() { a.serveConn(ctx, conn, slots, ended) })
		var end connEnd
		select {
		case end = <-ended:
		case <-ctx.Done():
			continue
		}
		a.socket.set(func(h *socketHealth) { h.connected = false })
		routine := end.reason == "refresh_requested" || end.reason == "warning"
		if end.greeted && (routine || time.Since(opened) >= stableConnection) {
			failures = 0
		} else {
			failures++
		}
		wait := a.connectionEnded(ctx, end, failures)
		if wait > 0 && a.waitReconnect(ctx, wait) != nil {
			break
		}
	}
	return nil
}

// takeEnvelope hands an envelope to a goroutine of its own when conn still
// takes them and a slot is free; otherwise it is turned away at once.
func (a *App) takeEnvelope(ctx context.Context, conn *socketConn, slots chan struct{}, msg socketMessage, received time.Time) {
	select {
	case slots <- struct{}{}:
	default:
		a.turnAway(ctx, conn, msg, received, "slack.socket.busy")
		return
	}
	// The slot is freed as the envelope's ack is written (or when its
	// goroutine ends without one): whatever Slack sends after seeing the
	// ack finds it free.
	var once sync.Once
	release := func() { once.Do(func() { <-slots }) }
	if !conn.take(func() {
		defer release()
		ctx := context.WithValue(withSlackID(context.WithoutCancel(ctx), msg.EnvelopeID), slotKey{}, release)
		a.socketEnvelope(ctx, conn, msg, received)
	}) {
		<-slots
		a.turnAway(ctx, conn, msg, received, "slack.socket.restarting")
	}
}

// turnAway answers an envelope askdesk cannot take now (too many in hand,
// or shutting down): a command or an interaction is acknowledged at once,
// with the note through its response_url; a form stays open showing the
// note; an event is left unacknowledged, for Slack to send again. The note
// is a catalogue key, said in the language of whoever sent the envelope.
func (a *App) turnAway(ctx context.Context, conn *socketConn, msg socketMessage, received time.Time, key string) {
	ctx = withSlackID(ctx, msg.EnvelopeID)
	a.log.WarnContext(ctx, "socket mode: envelope turned away", "type", msg.Type, "note", i18n.English().T(key))
	if msg.Type == "events_api" {
		return
	}
	var target struct {
		Type        string     `json:"type"`
		ResponseURL string     `json:"response_url"`
		View        slack.View `json:"view"`
		UserID      string     `json:"user_id"` // a slash command's
		User        struct {
			ID string `json:"id"`
		} `json:"user"` // an interaction's
	}
	_ = json.Unmarshal(msg.Payload, &target)
	user := target.UserID
	if user == "" {
		user = target.User.ID
	}
	// Overloaded or shutting down is no time to look anyone up.
	p := a.cachedPrinter(user)
	note := p.T(key)
	if target.Type == "view_submission" {
		// The form stays open, with what was typed, and says why.
		if block := firstInput(target.View); block != "" {
			a.ack(ctx, conn, msg.EnvelopeID, envelopeKind(msg.Type), received,
				slack.NewErrorsViewSubmissionResponse(map[string]string{block: note}))
			return
		}
	}
	a.ack(ctx, conn, msg.EnvelopeID, envelopeKind(msg.Type), received, nil)
	if target.ResponseURL == "" {
		return // a click in a Home tab, a global shortcut: nowhere to say it
	}
	r := a.replyTo(bot.Message{Text: note, Lang: p.Lang()})
	a.goFrom(ctx, func(ctx context.Context) {
		if err := a.respond(ctx, target.ResponseURL, r); err != nil {
			a.log.WarnContext(ctx, "could not say why an envelope was turned away", "err", err)
		}
	})
}

// socketEnvelope acts on one envelope and acknowledges it.
func (a *App) socketEnvelope(ctx context.Context, conn *socketConn, msg socketMessage, received time.Time) {
	id, kind := msg.EnvelopeID, envelopeKind(msg.Type)
	deadline := received.Add(a.ackBudget())
	switch msg.Type {
	case "slash_commands":
		var cmd slack.SlashCommand
		if err := json.Unmarshal(msg.Payload, &cmd); err != nil {
			a.ignore(ctx, conn, msg, received, err)
			return
		}
		v, inTime := a.within(ctx, deadline, func(ctx context.Context) any {
			if !a.firstEnvelope(ctx, id, deadline) {
				return nil
			}
			return a.HandleCommand(ctx, cmd)
		}, func(ctx context.Context, v any) {
			r, _ := v.(*reply)
			a.respondCommand(ctx, cmd, r)
		})
		r, _ := v.(*reply)
		switch {
		case !inTime || r == nil:
			a.ack(ctx, conn, id, kind, received, nil)
		case !ackFits(id, r):
			// Slack drops an ack of 20 KB or more: the whole reply goes
			// through the command's response_url instead.
			a.goFrom(ctx, func(ctx context.Context) { a.respondCommand(ctx, cmd, r) })
			a.ack(ctx, conn, id, kind, received, nil)
		default:
			a.ack(ctx, conn, id, kind, received, r)
		}
	case "interactive":
		var cb slack.InteractionCallback
		if err := json.Unmarshal(msg.Payload, &cb); err != nil {
			a.ignore(ctx, conn, msg, received, err)
			return
		}
		v, inTime := a.within(ctx, deadline, func(ctx context.Context) any {
			if !a.firstEnvelope(ctx, id, deadline) {
				return nil
			}
			return a.HandleInteraction(ctx, cb)
		}, func(ctx context.Context, v any) { a.lateInteraction(ctx, cb, v) })
		switch {
		case !inTime || isNilMsg(v):
			a.ack(ctx, conn, id, kind, received, nil)
		case !ackFits(id, v):
			a.lateInteraction(ctx, cb, v)
			a.ack(ctx, conn, id, kind, received, nil)
		default:
			a.ack(ctx, conn, id, kind, received, v)
		}
	case "events_api":
		a.socketEvent(ctx, conn, msg, received, deadline)
	default:
		a.ignore(ctx, conn, msg, received, errors.New("envelope type askdesk does not handle"))
	}
}

// ignore acknowledges an envelope askdesk does not handle or cannot read
// (a type added later), so that Slack does not send it again.
func (a *App) ignore(ctx context.Context, conn *socketConn, msg socketMessage, received time.Time, why error) {
	a.log.InfoContext(ctx, "ignored an envelope askdesk does not handle", "type", msg.Type, "reason", why)
	a.ack(ctx, conn, msg.EnvelopeID, envelopeKind(msg.Type), received, nil)
}

// socketEvent records an Events API event as seen and acknowledges it,
// then acts on it beside the loop, so that a slow Web API call (fetching a
// message for intake) never holds up an ack. An event that cannot be
// recorded by its deadline is not acknowledged: Slack sends it again.
// Event types askdesk does not handle are acknowledged and ignored.
func (a *App) socketEvent(ctx context.Context, conn *socketConn, msg socketMessage, received, deadline time.Time) {
	id, kind := msg.EnvelopeID, envelopeKind(msg.Type)
	var outer struct {
		EventID string          `json:"event_id"`
		Event   json.RawMessage `json:"event"`
	}
	_ = json.Unmarshal(msg.Payload, &outer)
	if a.groupEvent(ctx, outer.Event) { // read again whole: no need to record it
		a.ack(ctx, conn, id, kind, received, nil)
		return
	}
	ev, err := slackevents.ParseEvent(msg.Payload, slackevents.OptionNoVerifyToken())
	if err != nil {
		a.ignore(ctx, conn, msg, received, err)
		return
	}
	key := "envelope:" + id
	if outer.EventID != "" {
		key = "event:" + outer.EventID // Slack's retries of an event keep it
	}
	sctx, cancel := context.WithDeadline(ctx, deadline)
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
	a.ack(ctx, conn, id, kind, received, nil)
}

// firstEnvelope reports whether a command's or an interaction's envelope
// is new: to this process, and with replicas to the shared store too, asked
// until deadline. A store that cannot say lets it through: the handler
// meets the same store and answers why it failed.
func (a *App) firstEnvelope(ctx context.Context, id string, deadline time.Time) bool {
	if !a.envelopes.first(id, time.Now()) {
		return false
	}
	if !a.cfg.SharedStore {
		return true
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	first, err := a.store.FirstSeen(ctx, "envelope:"+id, a.clock.Now())
	if err != nil {
		a.log.WarnContext(ctx, "envelope not recorded as seen", "err", err)
		return true
	}
	return first
}

// ack acknowledges envelope id with payload (nil for none) on conn,
// telling the observer how long after receipt it went, for kind.
func (a *App) ack(ctx context.Context, conn *socketConn, id, kind string, received time.Time, payload any) {
	b, ok := encodeAck(id, payload)
	if !ok {
		a.log.ErrorContext(ctx, "ack too large for Slack; sending it bare")
		b, _ = encodeAck(id, nil)
	}
	// Timed as it is handed to the connection, so that whoever sees the ack
	// arrive already sees it counted.
	a.ackTimer(kind, received)()
	if release, ok := ctx.Value(slotKey{}).(func()); ok {
		release()
	}
	if err := conn.write(b); err != nil {
		a.log.WarnContext(ctx, "ack not sent: Slack will take the envelope as failed", "kind", kind, "err", err)
	}
}

// slotKey keys the func in an envelope's context that frees its slot.
type slotKey struct{}

// envelopeKind names what a Socket Mode envelope carries, for Observer.Acked.
func envelopeKind(t string) string {
	switch t {
	case "slash_commands":
		return AckCommand
	case "interactive":
		return AckInteraction
	case "events_api":
		return AckEvent
	}
	return ""
}

// firstInput is the block_id of a view's first input block, "" if none.
func firstInput(v slack.View) string {
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			return in.BlockID
		}
	}
	return ""
}
