package slacktest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// User is a workspace member the fake knows, for users.info.
type User struct {
	ID       string
	Name     string
	RealName string
	TZ       string // IANA zone, e.g. "Europe/Berlin"
	// Locale is the user's Slack language ("zh-CN"), answered when
	// users.info asks with include_locale=true (as slack-go does).
	Locale string
}

// AddUser adds or replaces a user for users.info. Unknown users get
// user_not_found.
func (s *Server) AddUser(id, name, realName, tz string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = User{ID: id, Name: name, RealName: realName, TZ: tz}
	s.broadcastLocked()
}

// AddUserLocale is AddUser for a user whose Slack language is locale
// ("zh-CN", "en-US").
func (s *Server) AddUserLocale(id, name, realName, tz, locale string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = User{ID: id, Name: name, RealName: realName, TZ: tz, Locale: locale}
	s.broadcastLocked()
}

// View is a modal or Home tab the bot opened, pushed, updated or published.
type View struct {
	ID         string
	Type       string // "modal" or "home"
	User       string // for a Home tab, whose
	ExternalID string
	Hash       string
	View       json.RawMessage // the view as last sent
	Updated    int             // views.update calls applied
}

// Views returns every view the fake holds, in no particular order.
func (s *Server) Views() []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]View, 0, len(s.views))
	for _, v := range s.views {
		out = append(out, *v)
	}
	return out
}

// File is a file uploaded through files.getUploadURLExternal, the upload
// URL and files.completeUploadExternal.
type File struct {
	ID        string
	Name      string
	Title     string
	Content   []byte
	Uploaded  bool   // the upload URL received the body
	Channel   string // where completeUploadExternal shared it
	ThreadTS  string
	Completed bool
}

// Files returns the files the fake holds, in no particular order.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, 0, len(s.files))
	for _, f := range s.files {
		out = append(out, *f)
	}
	return out
}

func (s *Server) authTest(*Call) (result, string) {
	return result{
		"url": "https://" + Workspace + "/", "team": TeamName, "user": "askdesk",
		"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID, "is_enterprise_install": false,
	}, ""
}

// appsConnectionsOpen answers a one-use websocket URL on this server.
func (s *Server) appsConnectionsOpen(*Call) (result, string) {
	s.ticketSeq++
	ticket := fmt.Sprintf("fake-%d", s.ticketSeq)
	s.tickets[ticket] = true
	return result{"url": "ws" + strings.TrimPrefix(s.base, "http") + "/socket?ticket=" + ticket}, ""
}

// usersInfo answers user=U1 like webapi_users.info_ok.json, or users=U1,U2
// with a list.
func (s *Server) usersInfo(c *Call) (result, string) {
	locale := c.Params.Get("include_locale") == "true"
	if ids := splitList(c.Params.Get("users")); len(ids) > 0 {
		var list []map[string]any
		for _, id := range ids {
			u, ok := s.users[id]
			if !ok {
				return nil, "user_not_found"
			}
			list = append(list, userJSON(u, locale))
		}
		return result{"users": list}, ""
	}
	u, ok := s.users[c.Params.Get("user")]
	if !ok {
		return nil, "user_not_found"
	}
	return result{"user": userJSON(u, locale)}, ""
}

func userJSON(u User, withLocale bool) map[string]any {
	label, offset := "", 0
	if loc, err := time.LoadLocation(u.TZ); err == nil && u.TZ != "" {
		label, offset = time.Now().In(loc).Zone()
	}
	m := map[string]any{
		"id": u.ID, "team_id": TeamID, "name": u.Name, "deleted": false, "color": "9f69e7",
		"real_name": u.RealName, "tz": u.TZ, "tz_label": label, "tz_offset": offset,
		"profile": map[string]any{
			"real_name": u.RealName, "display_name": u.Name,
			"real_name_normalized": u.RealName, "display_name_normalized": u.Name,
			"team": TeamID,
		},
		"is_admin": false, "is_owner": false, "is_primary_owner": false,
		"is_restricted": false, "is_ultra_restricted": false, "is_bot": false,
		"updated": tsBase, "is_app_user": false, "has_2fa": false,
	}
	if withLocale && u.Locale != "" {
		m["locale"] = u.Locale
	}
	return m
}

// viewParam decodes the view param, or returns a Slack error code.
func viewParam(c *Call) (map[string]any, string) {
	var v map[string]any
	if err := json.Unmarshal([]byte(c.Params.Get("view")), &v); err != nil || v == nil {
		return nil, "invalid_arguments"
	}
	return v, ""
}

// viewsOpen answers views.open and views.push.
func (s *Server) viewsOpen(c *Call) (result, string) {
	if c.Params.Get("trigger_id") == "" {
		return nil, "invalid_arguments"
	}
	body, code := viewParam(c)
	if code != "" {
		return nil, code
	}
	s.seq++
	v := &View{ID: fmt.Sprintf("V%08d", s.seq), Type: "modal"}
	s.views[v.ID] = v
	return result{"view": s.setViewLocked(v, body)}, ""
}

// viewsUpdate finds the view by view_id or external_id (not_found) and
// checks hash if given (hash_conflict).
func (s *Server) viewsUpdate(c *Call) (result, string) {
	body, code := viewParam(c)
	if code != "" {
		return nil, code
	}
	v := s.views[c.Params.Get("view_id")]
	if ext := c.Params.Get("external_id"); v == nil && ext != "" {
		for _, w := range s.views {
			if w.ExternalID == ext {
				v = w
			}
		}
	}
	if v == nil {
		return nil, "not_found"
	}
	if h := c.Params.Get("hash"); h != "" && h != v.Hash {
		return nil, "hash_conflict"
	}
	v.Updated++
	return result{"view": s.setViewLocked(v, body)}, ""
}

// viewsPublish sets a user's Home tab; its ID stays the same per user.
func (s *Server) viewsPublish(c *Call) (result, string) {
	user := c.Params.Get("user_id")
	if user == "" {
		return nil, "invalid_arguments"
	}
	body, code := viewParam(c)
	if code != "" {
		return nil, code
	}
	if body["type"] != "home" {
		return nil, "invalid_arguments"
	}
	// Slack refuses a Home that breaks Block Kit's limits (100 blocks).
	if blocks, _ := json.Marshal(body["blocks"]); len(BlockProblems(blocks, 100)) > 0 {
		return nil, "invalid_blocks"
	}
	v := s.views[s.homes[user]]
	if v == nil {
		s.seq++
		v = &View{ID: fmt.Sprintf("V%08d", s.seq), Type: "home", User: user}
		s.views[v.ID] = v
		s.homes[user] = v.ID
	} else {
		if h := c.Params.Get("hash"); h != "" && h != v.Hash {
			return nil, "hash_conflict"
		}
		v.Updated++
	}
	return result{"view": s.setViewLocked(v, body)}, ""
}

// setViewLocked stores body as v's content with a new hash and returns
// the view object Slack answers: body plus id, hash, state and owners.
func (s *Server) setViewLocked(v *View, body map[string]any) map[string]any {
	s.seq++
	v.Hash = fmt.Sprintf("%d.%08x", tsBase, s.seq)
	if t, ok := body["type"].(string); ok {
		v.Type = t
	}
	v.ExternalID, _ = body["external_id"].(string)
	v.View = mustJSON(body)

	out := map[string]any{
		"private_metadata": "", "callback_id": "", "external_id": "",
		"clear_on_close": false, "notify_on_close": false, "previous_view_id": nil,
		"state": map[string]any{"values": map[string]any{}},
	}
	for k, val := range body {
		out[k] = val
	}
	out["id"] = v.ID
	out["team_id"] = TeamID
	out["hash"] = v.Hash
	out["root_view_id"] = v.ID
	out["app_id"] = AppID
	out["bot_id"] = BotID
	out["app_installed_team_id"] = TeamID
	return out
}

// filesGetUploadURLExternal answers an upload URL on this server.
func (s *Server) filesGetUploadURLExternal(c *Call) (result, string) {
	name := c.Params.Get("filename")
	if name == "" || intParam(c, "length", 0) == 0 {
		return nil, "invalid_arguments"
	}
	s.seq++
	f := &File{ID: fmt.Sprintf("F%08d", s.seq), Name: name}
	s.files[f.ID] = f
	return result{"upload_url": s.base + "/upload/" + f.ID, "file_id": f.ID}, ""
}

// filesCompleteUploadExternal marks uploaded files complete and shared.
// A file never issued or never uploaded gives file_not_found.
func (s *Server) filesCompleteUploadExternal(c *Call) (result, string) {
	var list []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(c.Params.Get("files")), &list); err != nil || len(list) == 0 {
		return nil, "invalid_arguments"
	}
	ch := c.Params.Get("channel_id")
	if ch == "" {
		ch = c.Params.Get("channels")
	}
	for _, it := range list {
		if f := s.files[it.ID]; f == nil || !f.Uploaded {
			return nil, "file_not_found"
		}
	}
	out := make([]map[string]any, 0, len(list))
	for _, it := range list {
		f := s.files[it.ID]
		f.Title, f.Completed = it.Title, true
		f.Channel, f.ThreadTS = s.channelLocked(ch), c.Params.Get("thread_ts")
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	return result{"files": out}, ""
}
