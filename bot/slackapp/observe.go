package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Observer hears how the adapter talks with Slack, for metrics. Its methods
// must be quick and safe for concurrent use. Config.Observer nil means none.
type Observer interface {
	// APICall is told of every Web API call: the method
	// ("chat.postMessage"; "upload" for a file's upload URL,
	// "response_url" for a POST to a response_url), how long it
	// took, body included, and errCode: "" when Slack said ok, else Slack's
	// error ("channel_not_found"), "ratelimited", "http_503", "timeout" or
	// "transport".
	APICall(method string, took time.Duration, errCode string)
	// Acked is told how long after a request or envelope arrived its
	// acknowledgement was written, by kind: "command", "interaction" or
	// "event".
	Acked(kind string, took time.Duration)
}

// Ack kinds, as told to Observer.Acked.
const (
	AckCommand     = "command"
	AckInteraction = "interaction"
	AckEvent       = "event"
)

// observedTransport times every Web API call and sorts out its error,
// ok:false answers included, which Slack sends with status 200.
type observedTransport struct {
	next   http.RoundTripper
	obs    Observer
	method string // what every call is told as; "" for the Web API method in the path
}

func (t observedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	method := t.method
	if method == "" {
		method = apiMethod(req.URL.Path)
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		t.obs.APICall(method, time.Since(start), transportError(err))
		return nil, err
	}
	code := ""
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		code = "ratelimited"
	case resp.StatusCode >= 300:
		code = "http_" + strconv.Itoa(resp.StatusCode)
	case strings.Contains(resp.Header.Get("Content-Type"), "json"): //i18n:ok header name
		// slack-go reads the whole body anyway; reading it here first
		// costs one copy and lets the time include the body.
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.obs.APICall(method, time.Since(start), transportError(err))
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		code = slackError(body)
	}
	t.obs.APICall(method, time.Since(start), code)
	return resp, nil
}

// apiMethod is the Web API method in a URL path (/api/chat.postMessage).
// Anything else that goes through the client is a file upload.
func apiMethod(path string) string {
	i := strings.LastIndex(path, "/api/")
	if i < 0 {
		return "upload"
	}
	m := path[i+len("/api/"):]
	if m == "" || len(m) > 64 || strings.IndexFunc(m, func(r rune) bool {
		return !(r == '.' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) >= 0 {
		return "other" // keeps the label set small whatever the URL
	}
	return m
}

// slackError returns the error of an ok:false answer, "" otherwise. Slack's
// JSON is compact, so a byte search rules out nearly every success without
// decoding it; text inside strings cannot match, its quotes are escaped.
func slackError(body []byte) string {
	if !bytes.Contains(body, []byte(`"ok":false`)) {
		return ""
	}
	var r struct {
		OK    *bool  `json:"ok"`
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &r) != nil || r.OK == nil || *r.OK {
		return ""
	}
	if r.Error == "" || len(r.Error) > 64 {
		return "unknown"
	}
	return r.Error
}

func transportError(err error) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return "transport"
}

// ackWriter tells the observer when the response to Slack is first written,
// which is the acknowledgement.
type ackWriter struct {
	http.ResponseWriter
	done func()
}

func (w *ackWriter) WriteHeader(code int) {
	w.done()
	w.ResponseWriter.WriteHeader(code)
}

func (w *ackWriter) Write(b []byte) (int, error) {
	w.done()
	return w.ResponseWriter.Write(b)
}

func (w *ackWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ackTimer returns a func that reports, once, the time since start as the
// acknowledgement of kind; a no-op without an observer or a kind.
func (a *App) ackTimer(kind string, start time.Time) func() {
	if a.cfg.Observer == nil || kind == "" {
		return func() {}
	}
	done := false
	return func() {
		if !done {
			done = true
			a.cfg.Observer.Acked(kind, time.Since(start))
		}
	}
}

// httpAckKind names what an HTTP request from Slack carries, by its path.
func httpAckKind(path string) string {
	switch path {
	case "/slack/commands":
		return AckCommand
	case "/slack/interactions":
		return AckInteraction
	case "/slack/events":
		return AckEvent
	}
	return ""
}
