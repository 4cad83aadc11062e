package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Socket Mode connection timing.
const (
	// socketPingTimeout: Slack pings every connection; one that has not
	// pinged (nor sent anything) for this long is dead, and is replaced
	// (Config.PingTimeout).
	socketPingTimeout = 30 * time.Second
	// socketWriteTimeout bounds writing one acknowledgement.
	socketWriteTimeout = 5 * time.Second
	// socketConnectTimeout bounds apps.connections.open and the dial.
	socketConnectTimeout = 10 * time.Second
	// socketDrainWindow is how long reading goes on at shutdown, for the
	// envelopes Slack sent before the connection closes; after it Slack
	// sends them elsewhere (another replica) or, for events, again later.
	socketDrainWindow = 250 * time.Millisecond
)

// maxAck is Slack's limit on a Socket Mode acknowledgement: it drops one
// of 20 KB or more (https://api.slack.com/apis/socket-mode).
const maxAck = 20 * 1024

// socketConn is one Socket Mode websocket. Envelopes read from it are
// acknowledged on it, so it is closed only once those in hand are.
type socketConn struct {
	ws     *websocket.Conn
	quiet  time.Duration  // how long without a ping before it is dead
	wmu    sync.Mutex     // one writer at a time, as gorilla requires
	inHand sync.WaitGroup // envelopes read from it, not yet acknowledged
	// drainUntil, once set (Unix ns), is when reading stops at shutdown.
	drainUntil atomic.Int64
}

// socketAck is what acknowledges an envelope.
type socketAck struct {
	EnvelopeID string `json:"envelope_id"`
	Payload    any    `json:"payload,omitempty"`
}

// encodeAck returns the acknowledgement of envelope id with payload (nil
// for none), or false when Slack would drop it for its size.
func encodeAck(id string, payload any) ([]byte, bool) {
	if isNilMsg(payload) {
		payload = nil // no "payload": null
	}
	b, err := json.Marshal(socketAck{EnvelopeID: id, Payload: payload})
	if err != nil || len(b) >= maxAck {
		return nil, false
	}
	return b, true
}

// ackFits reports whether an acknowledgement of id carrying payload is
// under Slack's limit.
func ackFits(id string, payload any) bool {
	_, ok := encodeAck(id, payload)
	return ok
}

// write sends one text message, bounded by socketWriteTimeout.
func (c *socketConn) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(socketWriteTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// alive pushes the read deadline out after a message or a ping from Slack,
// but never past the end of a drain.
func (c *socketConn) alive() {
	until := time.Now().Add(c.quiet)
	if d := c.drainUntil.Load(); d != 0 && until.UnixNano() > d {
		until = time.Unix(0, d)
	}
	_ = c.ws.SetReadDeadline(until)
}

// drain lets reading go on for window more, then stops it: envelopes Slack
// sent before it learns of the shutdown are still answered.
func (c *socketConn) drain(window time.Duration) {
	until := time.Now().Add(window)
	c.drainUntil.Store(until.UnixNano())
	_ = c.ws.SetReadDeadline(until)
}

// close waits for the envelopes in hand to be acknowledged, then closes
// the websocket with a close frame.
func (c *socketConn) close() {
	c.inHand.Wait()
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

// openSocket asks Slack for a Socket Mode URL (apps.connections.open, with
// the app-level token) and dials it. The URL carries a one-time ticket, so
// it is never logged.
func (a *App) openSocket(ctx context.Context) (*socketConn, error) {
	ctx, cancel := context.WithTimeout(ctx, socketConnectTimeout)
	defer cancel()
	_, url, err := a.api.StartSocketModeContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("apps.connections.open: %w", err)
	}
	d := websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: socketConnectTimeout}
	ws, resp, err := d.DialContext(ctx, url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("open the Socket Mode websocket: %w", err)
	}
	ws.SetReadLimit(MaxBody)
	c := &socketConn{ws: ws, quiet: a.cfg.PingTimeout}
	if c.quiet <= 0 {
		c.quiet = socketPingTimeout
	}
	ws.SetPingHandler(func(data string) error {
		c.alive()
		err := ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(socketWriteTimeout))
		var ne interface{ Timeout() bool }
		if errors.Is(err, websocket.ErrCloseSent) || errors.As(err, &ne) && ne.Timeout() {
			return nil // as gorilla's own handler: the read that follows says if it is gone
		}
		return err
	})
	c.alive()
	return c, nil
}

// socketMessage is any message Slack sends over Socket Mode: hello,
// disconnect, or an envelope to acknowledge
// (https://api.slack.com/apis/socket-mode).
type socketMessage struct {
	Type           string          `json:"type"`
	EnvelopeID     string          `json:"envelope_id"`
	Payload        json.RawMessage `json:"payload"`
	Reason         string          `json:"reason"`          // disconnect
	NumConnections int             `json:"num_connections"` // hello
	RetryAttempt   int             `json:"retry_attempt"`   // events_api
}

// errDisconnect is Slack asking for a new connection (refresh_requested,
// link_disabled, …).
var errDisconnect = errors.New("Slack asked for a new connection")
