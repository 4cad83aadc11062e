package slacktest

import (
	"strconv"
	"strings"
)

// conversationsOpen answers users=U1 with the DM "D"+U1, users=U1,U2 with
// the group DM "G"+U1+U2, and channel=X with X. With return_im=true the
// channel comes in full, with no_op and already_open on a repeat, like
// webapi_conversations.open_ok_return_im.json.
func (s *Server) conversationsOpen(c *Call) (result, string) {
	var id string
	switch users := splitList(c.Params.Get("users")); {
	case c.Params.Get("channel") != "":
		id = s.channelLocked(c.Params.Get("channel"))
	case len(users) == 0:
		return nil, "users_list_not_supplied"
	case len(users) > 8:
		return nil, "too_many_users"
	case len(users) == 1:
		id = "D" + users[0]
	default:
		id = "G" + strings.Join(users, "")
	}
	already := s.opened[id]
	s.opened[id] = true

	if c.Params.Get("return_im") != "true" && c.Params.Get("return_im") != "1" {
		return result{"channel": map[string]any{"id": id}}, ""
	}
	ch := map[string]any{
		"id": id, "created": tsBase, "is_im": strings.HasPrefix(id, "D"), "is_org_shared": false,
		"last_read": "0000000000.000000", "latest": nil, "unread_count": 0,
		"unread_count_display": 0, "is_open": true, "priority": 0,
	}
	if user, ok := strings.CutPrefix(id, "D"); ok {
		ch["user"] = user
	}
	res := result{"channel": ch}
	if already {
		res["no_op"] = true
		res["already_open"] = true
	}
	return res, ""
}

// conversationsHistory answers a channel's top-level messages, newest
// first, between oldest and latest (exclusive unless inclusive=1), at most
// limit (default 100). A parent carries reply_count and latest_reply.
func (s *Server) conversationsHistory(c *Call) (result, string) {
	ch := s.channelLocked(c.Params.Get("channel"))
	if ch == "" {
		return nil, "channel_not_found"
	}
	var top []*stored
	for _, m := range s.sortedLocked(ch) {
		if m.ThreadTS == "" || m.ThreadTS == m.TS {
			top = append(top, m)
		}
	}
	in := window(c, top)
	// Newest first, as Slack answers.
	for i, j := 0, len(in)-1; i < j; i, j = i+1, j-1 {
		in[i], in[j] = in[j], in[i]
	}
	limit := intParam(c, "limit", 100)
	more := len(in) > limit
	if more {
		in = in[:limit]
	}
	all := boolParam(c, "include_all_metadata")
	msgs := make([]map[string]any, 0, len(in))
	for _, m := range in {
		msgs = append(msgs, s.messageJSONLocked(m, all))
	}
	return result{
		"messages": msgs, "has_more": more, "pin_count": 0,
		"response_metadata": map[string]any{"next_cursor": ""},
	}, ""
}

// conversationsReplies answers a thread, parent first then replies oldest
// first, within oldest/latest, at most limit (default 1000).
func (s *Server) conversationsReplies(c *Call) (result, string) {
	ch := s.channelLocked(c.Params.Get("channel"))
	ts := c.Params.Get("ts")
	parent := s.msgs[ch][ts]
	if parent == nil {
		return nil, "thread_not_found"
	}
	if parent.ThreadTS != "" && parent.ThreadTS != parent.TS {
		// Asked with a reply's ts: Slack answers that reply alone.
		return result{"messages": []map[string]any{s.messageJSONLocked(parent, boolParam(c, "include_all_metadata"))}, "has_more": false}, ""
	}
	var thread []*stored
	for _, m := range s.sortedLocked(ch) {
		if m.TS == ts || m.ThreadTS == ts {
			thread = append(thread, m)
		}
	}
	in := window(c, thread)
	limit := intParam(c, "limit", 1000)
	more := len(in) > limit
	if more {
		in = in[:limit]
	}
	all := boolParam(c, "include_all_metadata")
	msgs := make([]map[string]any, 0, len(in))
	for _, m := range in {
		msgs = append(msgs, s.messageJSONLocked(m, all))
	}
	return result{
		"messages": msgs, "has_more": more,
		"response_metadata": map[string]any{"next_cursor": ""},
	}, ""
}

// window keeps the messages (oldest first) between the call's oldest and
// latest params.
func window(c *Call, msgs []*stored) []*stored {
	oldest, latest := c.Params.Get("oldest"), c.Params.Get("latest")
	inclusive := boolParam(c, "inclusive")
	var out []*stored
	for _, m := range msgs {
		if oldest != "" {
			if d := compareTS(m.TS, oldest); d < 0 || (d == 0 && !inclusive) {
				continue
			}
		}
		if latest != "" {
			if d := compareTS(m.TS, latest); d > 0 || (d == 0 && !inclusive) {
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// boolParam reads a boolean argument as Slack does: "1" or "true".
func boolParam(c *Call, name string) bool {
	v := c.Params.Get(name)
	return v == "1" || v == "true"
}

func intParam(c *Call, name string, def int) int {
	n, err := strconv.Atoi(c.Params.Get(name))
	if err != nil || n <= 0 {
		return def
	}
	return n
}

func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
