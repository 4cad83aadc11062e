package slacktest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// tsBase is the seconds part of the first ts the fake assigns; each post
// adds 100µs, so ts are unique, increasing and the same in every run.
const tsBase = 1764000000

// Message is a message in the fake's channels, as it is now.
type Message struct {
	Channel  string // channel ID
	TS       string
	ThreadTS string // parent's ts for a thread reply, else ""
	User     string // author; BotUserID for the bot's posts
	Text     string
	Blocks   json.RawMessage // as last sent, nil if none
	Updated  int             // chat.update calls applied
	// Metadata is the message metadata posted with it ({"event_type":
	// …, "event_payload": {…}}), nil if none.
	Metadata json.RawMessage
}

// stored is a Message and whether the bot posted it.
type stored struct {
	Message
	bot bool
}

// AddChannel makes #name and name resolve to id, so that posting to
// "#name" answers channel id. Unknown names get IDs like "C00000001".
func (s *Server) AddChannel(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names[strings.TrimPrefix(name, "#")] = id
}

// AddMessage adds a top-level message by someone else, for
// conversations.history, conversations.replies, chat.getPermalink and
// reactions. channel may be an ID or a name.
func (s *Server) AddMessage(channel, ts, user, text string) {
	s.AddReply(channel, "", ts, user, text)
}

// AddReply adds a message by someone else in the thread of threadTS ("" for
// a top-level message).
func (s *Server) AddReply(channel, threadTS, ts, user, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.channelLocked(channel)
	s.putLocked(&stored{Message: Message{Channel: id, TS: ts, ThreadTS: threadTS, User: user, Text: text}})
	s.broadcastLocked()
}

// Messages returns what the bot posted in channel (ID or name) and has not
// deleted, current state per ts, oldest first.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.sortedLocked(s.channelLocked(channel)) {
		if m.bot {
			out = append(out, m.Message)
		}
	}
	return out
}

// Reactions returns the reaction names the bot has on a message.
func (s *Server) Reactions(channel, ts string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reactions[s.channelLocked(channel)+"/"+ts])
}

// channelLocked resolves a channel as slack.com would: an ID stays, a user
// ID becomes the DM with that user ("D"+user, as conversations.open), and a
// name, with or without '#', maps to a stable ID.
func (s *Server) channelLocked(ch string) string {
	ch = strings.TrimSpace(ch)
	if ch == "" {
		return ""
	}
	if name, ok := strings.CutPrefix(ch, "#"); ok {
		return s.nameLocked(name)
	}
	if isID(ch) {
		switch ch[0] {
		case 'U', 'W':
			return "D" + ch
		}
		return ch
	}
	return s.nameLocked(ch)
}

func (s *Server) nameLocked(name string) string {
	if id, ok := s.names[name]; ok {
		return id
	}
	id := fmt.Sprintf("C%08d", len(s.names)+1)
	s.names[name] = id
	return id
}

// isID reports whether ch looks like a Slack conversation or user ID.
func isID(ch string) bool {
	if len(ch) < 2 || !strings.ContainsRune("CGDUW", rune(ch[0])) {
		return false
	}
	for _, r := range ch[1:] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func (s *Server) putLocked(m *stored) {
	if s.msgs[m.Channel] == nil {
		s.msgs[m.Channel] = map[string]*stored{}
	}
	s.msgs[m.Channel][m.TS] = m
	s.usedTS[m.TS] = true
}

// nextTSLocked returns a ts no message has.
func (s *Server) nextTSLocked() string {
	if s.now != nil {
		for {
			us := max(s.now().UnixMicro(), s.lastTS+100)
			s.lastTS = us
			ts := fmt.Sprintf("%d.%06d", us/1_000_000, us%1_000_000)
			if !s.usedTS[ts] {
				s.usedTS[ts] = true
				return ts
			}
		}
	}
	for {
		s.tsSeq++
		us := s.tsSeq * 100
		ts := fmt.Sprintf("%d.%06d", tsBase+us/1_000_000, us%1_000_000)
		if !s.usedTS[ts] {
			s.usedTS[ts] = true
			return ts
		}
	}
}

// sortedLocked returns a channel's messages, oldest first.
func (s *Server) sortedLocked(channel string) []*stored {
	var out []*stored
	for _, m := range s.msgs[channel] {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *stored) int { return compareTS(a.TS, b.TS) })
	return out
}

// compareTS orders Slack timestamps ("seconds.micros") numerically.
func compareTS(a, b string) int {
	as, af, _ := strings.Cut(a, ".")
	bs, bf, _ := strings.Cut(b, ".")
	ai, _ := strconv.ParseInt(as, 10, 64)
	bi, _ := strconv.ParseInt(bs, 10, 64)
	if ai != bi {
		return cmpInt(ai, bi)
	}
	return strings.Compare(padRight(af, 6), padRight(bf, 6))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func padRight(s string, n int) string {
	for len(s) < n {
		s += "0"
	}
	return s
}

// messageJSONLocked renders m the way conversations.history and
// chat.postMessage do. Its metadata comes in full with allMetadata (a read
// with include_all_metadata=true), else its event_type alone, as Slack's
// "Using message metadata" says of reads without it.
func (s *Server) messageJSONLocked(m *stored, allMetadata bool) map[string]any {
	out := map[string]any{"type": "message", "ts": m.TS, "text": m.Text, "user": m.User, "team": TeamID}
	if m.Metadata != nil {
		var md struct {
			EventType    string          `json:"event_type"`
			EventPayload json.RawMessage `json:"event_payload"`
		}
		_ = json.Unmarshal(m.Metadata, &md) // checked when posted
		if allMetadata {
			out["metadata"] = map[string]any{"event_type": md.EventType, "event_payload": md.EventPayload}
		} else {
			out["metadata"] = map[string]any{"event_type": md.EventType}
		}
	}
	if m.bot {
		out["bot_id"] = BotID
		out["app_id"] = AppID
	}
	if m.Blocks != nil {
		out["blocks"] = m.Blocks
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if names := s.reactions[m.Channel+"/"+m.TS]; len(names) > 0 {
		var rs []map[string]any
		for _, r := range names {
			rs = append(rs, map[string]any{"name": r, "users": []string{BotUserID}, "count": 1})
		}
		out["reactions"] = rs
	}
	if m.Updated > 0 {
		out["edited"] = map[string]any{"user": BotUserID, "ts": m.TS}
	}
	if m.ThreadTS == "" {
		var n int
		var latest string
		for _, r := range s.msgs[m.Channel] {
			if r.ThreadTS == m.TS && r.TS != m.TS {
				n++
				if latest == "" || compareTS(r.TS, latest) > 0 {
					latest = r.TS
				}
			}
		}
		if n > 0 {
			out["thread_ts"] = m.TS
			out["reply_count"] = n
			out["latest_reply"] = latest
		}
	}
	return out
}

// blocksParam returns the blocks param as JSON, or a Slack error code.
func blocksParam(c *Call) (json.RawMessage, bool, string) {
	if !c.Params.Has("blocks") {
		return nil, false, ""
	}
	raw := json.RawMessage(c.Params.Get("blocks"))
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, true, "invalid_blocks_format"
	}
	return raw, true, ""
}

// metadataParam returns the metadata param as JSON, or a Slack error code:
// an object with a string event_type and an object event_payload.
func metadataParam(c *Call) (json.RawMessage, string) {
	if !c.Params.Has("metadata") {
		return nil, ""
	}
	raw := json.RawMessage(c.Params.Get("metadata"))
	var md struct {
		EventType    *string         `json:"event_type"`
		EventPayload json.RawMessage `json:"event_payload"`
	}
	if err := json.Unmarshal(raw, &md); err != nil {
		return nil, "invalid_metadata_format"
	}
	var payload map[string]any
	if md.EventType == nil || *md.EventType == "" || json.Unmarshal(md.EventPayload, &payload) != nil || payload == nil {
		return nil, "invalid_metadata_schema"
	}
	return raw, ""
}

// LeaveChannel makes the bot not a member of channel (ID or name), as in a
// channel it was never invited to: posts there answer not_in_channel.
func (s *Server) LeaveChannel(channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outside[s.channelLocked(channel)] = true
}

func (s *Server) chatPostMessage(c *Call) (result, string) {
	ch := s.channelLocked(c.Params.Get("channel"))
	if ch == "" {
		return nil, "channel_not_found"
	}
	if s.outside[ch] {
		return nil, "not_in_channel"
	}
	blocks, hasBlocks, code := blocksParam(c)
	if code != "" {
		return nil, code
	}
	metadata, code := metadataParam(c)
	if code != "" {
		return nil, code
	}
	text := c.Params.Get("text")
	if text == "" && !hasBlocks && c.Params.Get("attachments") == "" {
		return nil, "no_text"
	}
	m := &stored{bot: true, Message: Message{
		Channel: ch, TS: s.nextTSLocked(), ThreadTS: c.Params.Get("thread_ts"),
		User: BotUserID, Text: text, Blocks: blocks, Metadata: metadata,
	}}
	s.putLocked(m)
	return result{"channel": ch, "ts": m.TS, "message": s.messageJSONLocked(m, false)}, ""
}

func (s *Server) chatUpdate(c *Call) (result, string) {
	ch := s.channelLocked(c.Params.Get("channel"))
	if ch == "" {
		return nil, "channel_not_found"
	}
	m := s.msgs[ch][c.Params.Get("ts")]
	if m == nil {
		return nil, "message_not_found"
	}
	if !m.bot {
		return nil, "cant_update_message"
	}
	blocks, hasBlocks, code := blocksParam(c)
	if code != "" {
		return nil, code
	}
	if hasBlocks {
		m.Blocks = blocks
	}
	if c.Params.Has("text") {
		m.Text = c.Params.Get("text")
	}
	m.Updated++
	return result{"channel": ch, "ts": m.TS, "text": m.Text, "message": s.messageJSONLocked(m, false)}, ""
}

func (s *Server) chatDelete(c *Call) (result, string) {
	ch := s.channelLocked(c.Params.Get("channel"))
	m := s.msgs[ch][c.Params.Get("ts")]
	if m == nil {
		return nil, "message_not_found"
	}
	if !m.bot {
		return nil, "cant_delete_message"
	}
	delete(s.msgs[ch], m.TS)
	return result{"channel": ch, "ts": m.TS}, ""
}

func (s *Server) chatPostEphemeral(c *Call) (result, string) {
	ch := s.channelLocked(c.Params.Get("channel"))
	if ch == "" {
		return nil, "channel_not_found"
	}
	if s.outside[ch] {
		return nil, "not_in_channel"
	}
	if c.Params.Get("user") == "" {
		return nil, "invalid_arguments"
	}
	blocks, hasBlocks, code := blocksParam(c)
	if code != "" {
		return nil, code
	}
	if c.Params.Get("text") == "" && !hasBlocks && c.Params.Get("attachments") == "" {
		return nil, "no_text"
	}
	ts := s.nextTSLocked()
	s.ephemerals = append(s.ephemerals, Shown{Channel: s.channelLocked(c.Params.Get("channel")), TS: ts,
		ThreadTS: c.Params.Get("thread_ts"), Ephemeral: true, Viewer: c.Params.Get("user"), Text: c.Params.Get("text"), Blocks: blocks})
	return result{"message_ts": ts}, ""
}

func (s *Server) chatGetPermalink(c *Call) (result, string) {
	ch := s.channelLocked(c.Params.Get("channel"))
	m := s.msgs[ch][c.Params.Get("message_ts")]
	if m == nil {
		return nil, "message_not_found"
	}
	link := fmt.Sprintf("https://%s/archives/%s/p%s", Workspace, ch, strings.ReplaceAll(m.TS, ".", ""))
	if m.ThreadTS != "" && m.ThreadTS != m.TS {
		link += "?thread_ts=" + m.ThreadTS + "&cid=" + ch
	}
	return result{"channel": ch, "permalink": link}, ""
}

func (s *Server) reactionsAdd(c *Call) (result, string) {
	key, code := reactionKey(s, c)
	if code != "" {
		return nil, code
	}
	name := c.Params.Get("name")
	if slices.Contains(s.reactions[key], name) {
		return nil, "already_reacted"
	}
	s.reactions[key] = append(s.reactions[key], name)
	return result{}, ""
}

func (s *Server) reactionsRemove(c *Call) (result, string) {
	key, code := reactionKey(s, c)
	if code != "" {
		return nil, code
	}
	i := slices.Index(s.reactions[key], c.Params.Get("name"))
	if i < 0 {
		return nil, "no_reaction"
	}
	s.reactions[key] = slices.Delete(s.reactions[key], i, i+1)
	return result{}, ""
}

// reactionKey returns the "channel/ts" a reactions call is about. Any
// message is accepted, seeded or not, so tests need not add every message
// the bot reacts to.
func reactionKey(s *Server, c *Call) (string, string) {
	ch, ts := s.channelLocked(c.Params.Get("channel")), c.Params.Get("timestamp")
	if ch == "" || ts == "" {
		return "", "no_item_specified"
	}
	if c.Params.Get("name") == "" {
		return "", "invalid_name"
	}
	return ch + "/" + ts, ""
}
