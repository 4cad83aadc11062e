package slacktest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody bounds what the fake reads of a request.
const maxBody = 16 << 20

// result is a method's successful answer; "ok": true is added.
type result map[string]any

// methodFunc answers one Web API call with s.mu held: a result, or a Slack
// error code for {"ok":false,"error":code}.
type methodFunc func(s *Server, c *Call) (result, string)

// method returns the handler of a Web API method and whether it needs the
// app-level token (apps.connections.open) rather than a bot token.
func method(name string) (fn methodFunc, appToken, ok bool) {
	switch name {
	case "auth.test":
		return (*Server).authTest, false, true
	case "apps.connections.open":
		return (*Server).appsConnectionsOpen, true, true
	case "chat.postMessage":
		return (*Server).chatPostMessage, false, true
	case "chat.update":
		return (*Server).chatUpdate, false, true
	case "chat.delete":
		return (*Server).chatDelete, false, true
	case "chat.postEphemeral":
		return (*Server).chatPostEphemeral, false, true
	case "chat.getPermalink":
		return (*Server).chatGetPermalink, false, true
	case "conversations.open":
		return (*Server).conversationsOpen, false, true
	case "conversations.history":
		return (*Server).conversationsHistory, false, true
	case "conversations.replies":
		return (*Server).conversationsReplies, false, true
	case "reactions.add":
		return (*Server).reactionsAdd, false, true
	case "reactions.remove":
		return (*Server).reactionsRemove, false, true
	case "users.info":
		return (*Server).usersInfo, false, true
	case "users.profile.get":
		return (*Server).usersProfileGet, false, true
	case "usergroups.list":
		return (*Server).usergroupsList, false, true
	case "usergroups.users.list":
		return (*Server).usergroupsUsersList, false, true
	case "views.open", "views.push":
		return (*Server).viewsOpen, false, true
	case "views.update":
		return (*Server).viewsUpdate, false, true
	case "views.publish":
		return (*Server).viewsPublish, false, true
	case "files.getUploadURLExternal":
		return (*Server).filesGetUploadURLExternal, false, true
	case "files.completeUploadExternal":
		return (*Server).filesCompleteUploadExternal, false, true
	}
	return nil, false, false
}

// serveAPI answers /api/METHOD the way slack.com/api/METHOD does: HTTP 200
// with {"ok":true,…} or {"ok":false,"error":…}, unless a failure rule says
// otherwise.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	c, err := readCall(r, strings.TrimPrefix(r.URL.Path, "/api/"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.hold(r.Context(), c.Method)
	c.At = time.Now() // answered now

	s.mu.Lock()
	status, header, body := s.answerLocked(&c)
	c.Status = status
	s.calls = append(s.calls, c)
	s.broadcastLocked()
	s.mu.Unlock()

	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// answerLocked decides the answer to c and applies its effects, filling
// c.Error. s.mu must be held.
func (s *Server) answerLocked(c *Call) (status int, header http.Header, body []byte) {
	header = http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	fail := func(code string) (int, http.Header, []byte) {
		c.Error = code
		return http.StatusOK, header, mustJSON(map[string]any{"ok": false, "error": code})
	}

	if f := s.takeFailureLocked(c.Method); f != nil {
		switch {
		case f.slackError != "":
			return fail(f.slackError)
		case f.status == http.StatusTooManyRequests:
			c.Error = "ratelimited"
			if f.retryAfter >= 0 {
				header.Set("Retry-After", itoa(f.retryAfter))
			}
			return f.status, header, []byte(`{"ok":false,"error":"ratelimited"}`)
		default:
			header.Set("Content-Type", "text/html; charset=utf-8")
			return f.status, header, []byte("<html><body>slacktest: injected " + http.StatusText(f.status) + "</body></html>\n")
		}
	}

	if retryAfter, over := s.overTierLocked(c.Method); over {
		return rateLimitedLocked(c, header, retryAfter)
	}
	fn, wantApp, ok := method(c.Method)
	if !ok {
		return fail("unknown_method")
	}
	if code := s.checkToken(c.Token, wantApp); code != "" {
		return fail(code)
	}
	if c.Params == nil {
		return fail("invalid_json")
	}
	res, code := fn(s, c)
	if code != "" {
		return fail(code)
	}
	res["ok"] = true
	return http.StatusOK, header, mustJSON(res)
}

// checkToken returns the Slack error for a missing or wrong token, or "".
func (s *Server) checkToken(token string, app bool) string {
	switch {
	case token == "":
		return "not_authed"
	case app && s.appToken != "" && token != s.appToken:
		return "invalid_auth"
	case app && !strings.HasPrefix(token, "xapp-"):
		return "not_allowed_token_type"
	case !app && s.botToken != "" && token != s.botToken:
		return "invalid_auth"
	case !app && !strings.HasPrefix(token, "xoxb-") && !strings.HasPrefix(token, "xoxp-"):
		return "not_allowed_token_type"
	}
	return ""
}

// readCall reads a request into a Call. Params is nil if a JSON body does
// not parse as an object.
func readCall(r *http.Request, method string) (Call, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return Call{}, err
	}
	c := Call{Method: method, Body: body, At: time.Now()}
	c.Params = url.Values{}
	for k, v := range r.URL.Query() {
		c.Params[k] = append(c.Params[k], v...)
	}

	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ctype == "application/json":
		if p, ok := flattenJSON(body); ok {
			for k, v := range p {
				c.Params[k] = append(c.Params[k], v...)
			}
		} else {
			c.Params = nil
		}
	case strings.HasPrefix(ctype, "multipart/"):
		// Only uploads are multipart; serveUpload keeps the raw body.
	default:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return Call{}, err
		}
		for k, v := range form {
			c.Params[k] = append(c.Params[k], v...)
		}
	}

	c.Token = bearer(r)
	if c.Token == "" && c.Params != nil {
		c.Token = c.Params.Get("token")
	}
	return c, nil
}

// flattenJSON turns a JSON object body into values: strings as they are,
// anything else as its JSON text. An empty body is an empty object.
func flattenJSON(body []byte) (url.Values, bool) {
	v := url.Values{}
	if len(bytes.TrimSpace(body)) == 0 {
		return v, true
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, false
	}
	for k, raw := range obj {
		var str string
		if json.Unmarshal(raw, &str) == nil {
			v.Set(k, str)
			continue
		}
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil {
			v.Set(k, buf.String())
		} else {
			v.Set(k, string(raw))
		}
	}
	return v, true
}

// serveUpload takes a file body POSTed to an upload_url and records it as
// a call to UploadMethod.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	c, err := readCall(r, UploadMethod)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	content := c.Body
	if mr, err := multipartFile(r.Header.Get("Content-Type"), c.Body); err == nil {
		content = mr
	}

	s.mu.Lock()
	f := s.files[id]
	c.Status = http.StatusOK
	if f == nil {
		c.Status = http.StatusNotFound
	} else {
		f.Content = content
		f.Uploaded = true
	}
	c.Params = url.Values{"file_id": {id}}
	s.calls = append(s.calls, c)
	s.broadcastLocked()
	s.mu.Unlock()

	if c.Status != http.StatusOK {
		http.Error(w, "unknown upload", c.Status)
		return
	}
	_, _ = io.WriteString(w, "OK - "+itoa(len(content)))
}

// multipartFile returns the content of the "file" part of a multipart body.
func multipartFile(contentType string, body []byte) ([]byte, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, err
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, err
		}
		if p.FormName() == "file" {
			return io.ReadAll(p)
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("slacktest: encode answer: " + err.Error())
	}
	return b
}
