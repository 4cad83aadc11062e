package slackapp

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
)

// A replica can die after Slack carried out its chat.postMessage and before
// the outbox heard of it; another replica then delivers the message again,
// in doubt (bot.Message.MaybeSent). Every post for an outbox message carries
// the message's outbox ID in Slack message metadata, so the one delivering
// in doubt can look for the earlier post and finish it instead of posting a
// second copy.

// outboxEvent is the metadata event_type of askdesk's outbox posts; the
// payload is {"outbox_id": N}.
const outboxEvent = "askdesk_outbox"

const (
	// lookupLimit bounds the messages one lookup reads. The earlier post
	// is among the newest in its channel: nothing else to the same
	// destination went out after it, and it was made a lease ago at most.
	lookupLimit = 200
	// lookupPages bounds the pages of a thread read, oldest reply first.
	lookupPages = 5
	// lookupSkew reads from this long before the message was queued, for
	// clocks that differ between askdesk's hosts and Slack.
	lookupSkew = 10 * time.Minute
)

// outboxMetadata tags a post as the delivery of outbox message id.
func outboxMetadata(id int64) slack.MsgOption {
	return slack.MsgOptionMetadata(slack.SlackMetadata{EventType: outboxEvent, EventPayload: map[string]any{"outbox_id": id}})
}

// isOutboxPost reports whether msg was posted for outbox message id.
func isOutboxPost(msg slack.Message, id int64) bool {
	if msg.Metadata.EventType != outboxEvent {
		return false
	}
	switch v := msg.Metadata.EventPayload["outbox_id"].(type) {
	case float64:
		return v == float64(id)
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n == id
	}
	return false
}

// findPost looks for the message an earlier attempt at m posted in channel,
// or in the thread of thread when set, posted since m was queued. It
// returns the channel's ID and the message, nil when there is none; an
// error when it could not look (a *pacedError when Slack's limits say to
// look later).
func (a *App) findPost(ctx context.Context, m bot.Message, channel, thread string) (string, *slack.Message, error) {
	id, err := a.channelID(ctx, channel)
	if err != nil {
		return "", nil, err
	}
	oldest := ""
	if !m.QueuedAt.IsZero() {
		oldest = slackTS(m.QueuedAt.Add(-lookupSkew))
	}
	if thread == "" {
		if err := a.paced("conversations.history", ""); err != nil {
			return "", nil, err
		}
		h, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: id, Oldest: oldest, Limit: lookupLimit, IncludeAllMetadata: true})
		if err != nil {
			return "", nil, fmt.Errorf("conversations.history of %s: %w", id, err)
		}
		for i := range h.Messages {
			if isOutboxPost(h.Messages[i], m.OutboxID) {
				return id, &h.Messages[i], nil
			}
		}
		return id, nil, nil
	}
	cursor := ""
	for range lookupPages {
		if err := a.paced("conversations.replies", ""); err != nil {
			return "", nil, err
		}
		msgs, more, next, err := a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: id, Timestamp: thread, Oldest: oldest, Limit: lookupLimit, Cursor: cursor, IncludeAllMetadata: true})
		if err != nil {
			return "", nil, fmt.Errorf("conversations.replies of %s/%s: %w", id, thread, err)
		}
		for i := range msgs {
			if isOutboxPost(msgs[i], m.OutboxID) {
				return id, &msgs[i], nil
			}
		}
		if !more || next == "" {
			return id, nil, nil
		}
		cursor = next
	}
	return "", nil, fmt.Errorf("thread %s/%s: over %d replies since %s", id, thread, lookupPages*lookupLimit, oldest)
}

// conversationIDRE matches Slack conversation IDs: channels, private
// channels and DMs.
var conversationIDRE = regexp.MustCompile(`^[CGD][A-Z0-9]{2,}$`)

// channelID returns the ID of a channel given as configured: an ID as it
// is; a "#name" as this process saw it answered by a post, or as the cards
// posted there recorded it. Reading a channel wants its ID.
func (a *App) channelID(ctx context.Context, channel string) (string, error) {
	if conversationIDRE.MatchString(channel) {
		return channel, nil
	}
	if id, ok := a.channelIDs.Load(channel); ok {
		return id.(string), nil
	}
	id, ok, err := a.store.SlackChannel(ctx, channel)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("channel %s: its ID is not known yet", channel)
	}
	a.channelIDs.Store(channel, id)
	return id, nil
}

// slackTS renders t as a Slack timestamp.
func slackTS(t time.Time) string {
	us := t.UnixMicro()
	return fmt.Sprintf("%d.%06d", us/1_000_000, us%1_000_000)
}
