package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	neturl "net/url"
	"sync"
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
	// socketConnectTimeout bounds apps.connections.open, and then the dial.
	socketConnectTimeout = 10 * time.Second
	// socketDrainWindow is how long a connection still takes envelopes at
	// shutdown: those Slack sent before it learns of it. After it they are
	// turned away until the connection is closed.
	socketDrainWindow = 250 * time.Millisecond
	// socketDisconnectGrace is how long a connection Slack asked to
	// replace is still read, if Slack does not close it first: after a
	// "warning" Slack goes on sending on it for a few seconds.
	socketDisconnectGrace = 15 * time.Second
	// stableConnection is how long a connection must last for its end to
	// count as routine rather than as a failure to connect.
	stableConnection = 30 * time.Second
)

// maxAck is Slack's limit on a Socket Mode acknowledgement: it drops one
// of 20 KB or more (https://api.slack.com/apis/socket-mode).
const maxAck = 20 * 1024

// socketConn is one Socket Mode websocket. Envelopes read from it are
// acknowledged on it, so it is closed only once those in hand are.
type socketConn struct {
	ws    *websocket.Conn
	quiet time.Duration // how long without a ping before it is dead
	wmu   sync.Mutex    // one writer at a time, as gorilla requires

	mu     sync.Mutex     // guards taking and additions to inHand
	taking bool           // new envelopes are taken (else turned away)
	inHand sync.WaitGroup // envelopes taken from it, not yet acknowledged
	closed sync.Once
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

// alive pushes the read deadline out after a message or a ping from Slack.
// Only the reading goroutine calls it (gorilla's ping handler runs inside
// the read).
func (c *socketConn) alive() {
	_ = c.ws.SetReadDeadline(time.Now().Add(c.quiet))
}

// take runs handle as an envelope in hand, unless the connection no longer
// takes envelopes; it reports whether it did.
func (c *socketConn) take(handle func()) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.taking {
		return false
	}
	c.inHand.Go(handle)
	return true
}

// close stops taking envelopes, waits for those in hand to be acknowledged,
// then closes the websocket with a close frame, which ends its reading.
// It may be called more than once.
func (c *socketConn) close() {
	c.mu.Lock()
	c.taking = false
	c.mu.Unlock()
	c.inHand.Wait()
	c.closed.Do(func() {
		c.wmu.Lock()
		_ = c.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		c.wmu.Unlock()
		_ = c.ws.Close()
	})
}

// openSocket asks Slack for a Socket Mode URL (apps.connections.open, with
// the app-level token) and dials it. The URL carries a one-time ticket, so
// it is never logged.
func (a *App) openSocket(ctx context.Context) (*socketConn, error) {
	octx, cancel := context.WithTimeout(ctx, socketConnectTimeout)
	_, url, err := a.api.StartSocketModeContext(octx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("apps.connections.open: %w", err)
	}
	dctx, cancel := context.WithTimeout(ctx, socketConnectTimeout)
	defer cancel()
	d := websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: socketConnectTimeout}
	ws, resp, err := d.DialContext(dctx, url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		var ue *neturl.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL and its ticket
		}
		return nil, fmt.Errorf("open the Socket Mode websocket: %w", err)
	}
	ws.SetReadLimit(maxEnvelope)
	c := &socketConn{ws: ws, quiet: a.cfg.PingTimeout, taking: true}
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

// connEnd says why a connection wants replacing.
type connEnd struct {
	err     error  // the read error, or errDisconnect with Slack's reason
	reason  string // a disconnect message's reason ("refresh_requested", …)
	greeted bool   // Slack said hello on it
}

// serveConn reads conn, taking its envelopes, until it is closed: by Slack,
// by a dead network, by the end of the grace after Slack asked to replace
// it, or by the end of the drain after ctx ends. ended hears, once, the
// first of a disconnect message or the end of reading. conn is closed, its
// envelopes acknowledged, when serveConn returns.
func (a *App) serveConn(ctx context.Context, conn *socketConn, slots chan struct{}, ended chan<- connEnd) {
	readDone := make(chan struct{})
	replaced := make(chan struct{})
	var closer sync.WaitGroup
	closer.Go(func() { closeWhenDone(ctx, conn, readDone, replaced) })
	end := a.readConn(ctx, conn, slots, func(e connEnd) {
		select {
		case ended <- e:
		default:
		}
		close(replaced)
	})
	select {
	case ended <- end:
	default: // told already, of a disconnect
	}
	close(readDone)
	closer.Wait()
	conn.close()
}

// closeWhenDone closes conn socketDrainWindow after ctx ends, or
// socketDisconnectGrace after Slack asked to replace it, whichever comes
// first, unless reading ends before.
func closeWhenDone(ctx context.Context, conn *socketConn, readDone, replaced <-chan struct{}) {
	var timer *time.Timer
	var fire <-chan time.Time
	arm := func(d time.Duration) {
		if timer != nil && !timer.Stop() {
			return // fired already
		}
		timer = time.NewTimer(d)
		fire = timer.C
	}
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	done := ctx.Done()
	for {
		select {
		case <-readDone:
			return
		case <-done:
			done = nil
			arm(socketDrainWindow)
		case <-replaced:
			replaced = nil
			if fire == nil {
				arm(socketDisconnectGrace)
			}
		case <-fire:
			conn.close()
			return
		}
	}
}

// readConn reads conn until reading fails (it was closed, or went quiet),
// taking each envelope. A disconnect message is passed to replace, once,
// and reading goes on: Slack may still send on it for a few seconds.
func (a *App) readConn(ctx context.Context, conn *socketConn, slots chan struct{}, replace func(connEnd)) connEnd {
	var greeted, replacing bool
	for {
		_, data, err := conn.ws.ReadMessage()
		if err != nil {
			return connEnd{err: err, greeted: greeted}
		}
		received := time.Now()
		conn.alive()
		var msg socketMessage
		if err := json.Unmarshal(data, &msg); err != nil {
			a.log.WarnContext(ctx, "socket mode message not understood", "err", err)
			continue
		}
		switch msg.Type {
		case "hello":
			// Slack's greeting: no envelope_id, never acknowledged.
			greeted = true
			a.connected()
			a.log.InfoContext(ctx, "socket mode connected", "connections", msg.NumConnections)
			continue
		case "disconnect":
			if !replacing {
				replacing = true
				replace(connEnd{err: fmt.Errorf("%w: %s", errDisconnect, msg.Reason), reason: msg.Reason, greeted: greeted})
			}
			continue
		}
		if msg.EnvelopeID == "" {
			a.log.DebugContext(ctx, "socket mode message ignored", "type", msg.Type)
			continue
		}
		a.takeEnvelope(ctx, conn, slots, msg, received)
	}
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
