package slackapp

import (
	"context"
	"log/slog"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// RunSocketMode receives commands, interactions and events over Socket Mode
// until ctx ends, reconnecting after disconnects and network loss. Every
// envelope is acknowledged once handled (commands and modal submissions
// carry their reply in the ack) and acted on once, even if Slack sends it
// again.
func (a *App) RunSocketMode(ctx context.Context) error {
	client := socketmode.New(a.api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	loopDone := make(chan struct{})
	go func() { defer close(loopDone); a.socketLoop(ctx, client) }()
	defer func() { <-loopDone }()
	for {
		err := client.RunContext(ctx)
		if ctx.Err() != nil {
			return nil
		}
		a.log.WarnContext(ctx, "socket mode connection ended; reconnecting", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(2 * time.Second):
		}
	}
}

func (a *App) socketLoop(ctx context.Context, client *socketmode.Client) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-client.Events:
			if !ok {
				return
			}
			a.socketEvent(ctx, client, evt)
		}
	}
}

func (a *App) socketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.log.InfoContext(ctx, "socket mode connected")
		return
	case socketmode.EventTypeDisconnect, socketmode.EventTypeConnectionError:
		a.log.InfoContext(ctx, "socket mode disconnected", "type", evt.Type)
		return
	}
	if evt.Request == nil {
		return
	}
	req := *evt.Request
	ctx = withRequestID(ctx, req.EnvelopeID)
	acked := a.ackTimer(envelopeKind(evt.Type), time.Now())
	ack := func(payload ...any) error {
		acked() // Ack only queues the write: taking the time first misses nothing
		return client.Ack(req, payload...)
	}
	first, err := a.store.FirstSeen(ctx, "envelope:"+req.EnvelopeID, a.clock.Now())
	if err != nil {
		a.log.ErrorContext(ctx, "dedupe envelope", "err", err)
		return // not acked: Slack will send it again
	}
	if !first {
		ack()
		return
	}
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			ack()
			return
		}
		resp := a.HandleCommand(ctx, cmd)
		if resp == nil {
			ack()
			return
		}
		if err := ack(resp); err != nil {
			// slack-go refuses acks of 20 KB or more: ack bare and send the
			// reply as an ephemeral message instead.
			a.log.WarnContext(ctx, "ack with reply failed; replying separately", "err", err)
			ack()
			a.tellLater(ctx, cmd.ChannelID, cmd.UserID, "", resp.Text)
		}
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			ack()
			return
		}
		if resp := a.HandleInteraction(ctx, cb); resp != nil && !isNilMsg(resp) {
			ack(resp)
		} else {
			ack()
		}
	case socketmode.EventTypeEventsAPI:
		ack()
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			return
		}
		if cbe, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && cbe.EventID != "" {
			if first, err := a.store.FirstSeen(ctx, "event:"+cbe.EventID, a.clock.Now()); err != nil || !first {
				return
			}
		}
		// Handled beside the loop, so a slow Web API call (fetching a
		// message for intake) never holds up the next envelope's ack.
		a.goFrom(ctx, func(ctx context.Context) { a.HandleEvent(ctx, ev) })
	default:
		ack()
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
