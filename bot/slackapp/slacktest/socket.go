package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// writeWait bounds every websocket write.
const writeWait = 10 * time.Second

// socketConn is one Socket Mode websocket.
type socketConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex  // one data writer at a time, as gorilla requires
	stalled atomic.Bool // no pings out, acks in are dropped

	// Guarded by Server.mu.
	n     int  // 1 for the first connection accepted, 2 for the next, …
	ready bool // hello sent
	gone  bool // told to go (Disconnect, DropConnection, StallConnection)
}

func (c *socketConn) write(data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(writeWait)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

// serveSocket accepts a websocket dialled with a ticket from
// apps.connections.open, says hello, pings it, and records acks until it
// closes. A missing or used ticket gets HTTP 401.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	if s.closed || !s.tickets[ticket] {
		s.mu.Unlock()
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	delete(s.tickets, ticket)
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered
	}
	c := &socketConn{ws: ws}
	defer s.forget(c)

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.conns = append(s.conns, c)
	n := len(s.conns)
	s.mu.Unlock()

	if err := c.write(helloJSON(n)); err != nil {
		return
	}
	s.mu.Lock()
	c.ready = true
	s.accepted++
	c.n = s.accepted
	s.broadcastLocked()
	s.mu.Unlock()

	done := make(chan struct{})
	var pinger sync.WaitGroup
	pinger.Go(func() { s.ping(c, done) })
	defer pinger.Wait()
	defer close(done)

	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &ack) != nil || c.stalled.Load() {
			continue
		}
		s.mu.Lock()
		if _, sent := s.sent[ack.EnvelopeID]; !sent {
			// Slack never sent it (hello has no envelope_id): an app
			// that acks it is wrong.
			s.strayAcks = append(s.strayAcks, ack.EnvelopeID)
		} else {
			s.acks[ack.EnvelopeID] = ack.Payload
			s.ackCount[ack.EnvelopeID]++
			// The first ack since the envelope was last sent.
			if at, ok := s.ackedAt[ack.EnvelopeID]; !ok || at.Before(s.sent[ack.EnvelopeID]) {
				s.ackedAt[ack.EnvelopeID] = time.Now()
			}
		}
		s.broadcastLocked()
		s.mu.Unlock()
	}
}

// ping sends a websocket ping at once and then every ping interval, as
// Slack does; slack-go reconnects if pings stop.
func (s *Server) ping(c *socketConn, done <-chan struct{}) {
	t := time.NewTicker(s.pingInterval)
	defer t.Stop()
	for {
		if !c.stalled.Load() {
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				return
			}
		}
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

// forget closes c and drops it from the open connections.
func (s *Server) forget(c *socketConn) {
	_ = c.ws.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, o := range s.conns {
		if o == c {
			s.conns = append(s.conns[:i], s.conns[i+1:]...)
			break
		}
	}
	s.broadcastLocked()
}

// currentLocked returns the newest connection that said hello and was not
// told to go, or nil.
func (s *Server) currentLocked() *socketConn {
	for i := len(s.conns) - 1; i >= 0; i-- {
		if c := s.conns[i]; c.ready && !c.gone {
			return c
		}
	}
	return nil
}

// detach marks the current connection gone and returns it, or nil.
func (s *Server) detach() *socketConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.currentLocked()
	if c != nil {
		c.gone = true
		s.broadcastLocked()
	}
	return c
}

// SocketConnections returns how many websockets were ever accepted (and
// said hello to), counting reconnections.
func (s *Server) SocketConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// OpenSocketConnections returns how many websockets are open now,
// including ones told to go whose client has not closed them yet.
func (s *Server) OpenSocketConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// WaitSocketConnections waits until n websockets were ever accepted.
func (s *Server) WaitSocketConnections(ctx context.Context, n int) error {
	err := s.wait(ctx, func() bool { return s.accepted >= n })
	if err != nil {
		return fmt.Errorf("wait for %d socket connections, got %d: %w", n, s.SocketConnections(), err)
	}
	return nil
}

// SendEnvelope writes env to the current connection (the newest one not
// told to go), waiting for one if there is none, e.g. while the client
// reconnects. env is an Envelope, any value to encode as JSON, or JSON text
// as []byte, json.RawMessage or string, sent as it is.
func (s *Server) SendEnvelope(ctx context.Context, env any) error {
	data, err := encodeEnvelope(env)
	if err != nil {
		return err
	}
	for {
		var c *socketConn
		err := s.wait(ctx, func() bool { c = s.currentLocked(); return c != nil })
		if err != nil {
			return fmt.Errorf("send envelope: no socket connection: %w", err)
		}
		if id := envelopeID(data); id != "" {
			s.mu.Lock()
			s.sent[id] = time.Now()
			s.mu.Unlock()
		}
		err = c.write(data)
		if err == nil {
			return nil
		}
		// The client may have gone in between; try its successor.
		s.mu.Lock()
		c.gone = true
		s.mu.Unlock()
	}
}

func encodeEnvelope(env any) ([]byte, error) {
	var data []byte
	switch e := env.(type) {
	case []byte:
		data = e
	case json.RawMessage:
		data = e
	case string:
		data = []byte(e)
	default:
		b, err := json.Marshal(env)
		if err != nil {
			return nil, fmt.Errorf("encode envelope: %w", err)
		}
		return b, nil
	}
	if !json.Valid(data) {
		return nil, errors.New("encode envelope: not valid JSON")
	}
	return data, nil
}

// WaitAck waits until the client acks envelopeID on any connection and
// returns the ack's payload, nil if it had none.
// WaitAcks waits until envelopeID was acked n times in all (an envelope
// sent again is acked again).
func (s *Server) WaitAcks(ctx context.Context, envelopeID string, n int) error {
	if err := s.wait(ctx, func() bool { return s.ackCount[envelopeID] >= n }); err != nil {
		return fmt.Errorf("wait for %d acks of %s: %w", n, envelopeID, err)
	}
	return nil
}

func (s *Server) WaitAck(ctx context.Context, envelopeID string) (json.RawMessage, error) {
	var payload []byte
	err := s.wait(ctx, func() bool {
		p, ok := s.acks[envelopeID]
		payload = p
		return ok
	})
	if err != nil {
		return nil, fmt.Errorf("wait for ack of %s: %w", envelopeID, err)
	}
	return payload, nil
}

// AckLatency returns how long after it was last sent envelopeID was first
// acked, and false if it has not been acked since.
func (s *Server) AckLatency(envelopeID string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.ackedAt[envelopeID]
	if !ok || at.Before(s.sent[envelopeID]) {
		return 0, false // not acked since it was last sent
	}
	return at.Sub(s.sent[envelopeID]), true
}

// StrayAcks returns the envelope IDs of acks for envelopes that were never
// sent, such as an ack of hello (which has no envelope_id: ""), oldest
// first. Slack's protocol never acks hello or disconnect.
func (s *Server) StrayAcks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.strayAcks...)
}

// envelopeID is the envelope_id of an encoded envelope, "" if none.
func envelopeID(data []byte) string {
	var e struct {
		EnvelopeID string `json:"envelope_id"`
	}
	_ = json.Unmarshal(data, &e)
	return e.EnvelopeID
}

// Acked reports whether envelopeID was acked, and the ack's payload.
func (s *Server) Acked(envelopeID string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.acks[envelopeID]
	return p, ok
}

// Disconnect sends the current connection a disconnect message, like
// socketmode_disconnect_refresh_requested.json with this reason, then
// closes it. slack-go reconnects at once: apps.connections.open, then a
// new websocket. It does nothing if no connection is current.
func (s *Server) Disconnect(reason string) {
	c := s.detach()
	if c == nil {
		return
	}
	_ = c.write(mustJSON(map[string]any{
		"type": "disconnect", "reason": reason,
		"debug_info": map[string]any{"host": "applink-slacktest"},
	}))
	_ = c.ws.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(writeWait))
	_ = c.ws.Close()
}

// WarnDisconnect sends the current connection a disconnect message with
// reason "warning", as Slack does some seconds before it closes a
// connection, and leaves it open: it stays the one envelopes go to until
// the client opens another (see SendEnvelopeOn). It does nothing if no
// connection is current.
func (s *Server) WarnDisconnect() {
	s.mu.Lock()
	c := s.currentLocked()
	s.mu.Unlock()
	if c == nil {
		return
	}
	_ = c.write(mustJSON(map[string]any{
		"type": "disconnect", "reason": "warning",
		"debug_info": map[string]any{"host": "applink-slacktest"},
	}))
}

// SendEnvelopeOn writes env to the n-th connection accepted (1 for the
// first), if it is still open, whether or not it is current.
func (s *Server) SendEnvelopeOn(n int, env any) error {
	data, err := encodeEnvelope(env)
	if err != nil {
		return err
	}
	s.mu.Lock()
	var c *socketConn
	for _, o := range s.conns {
		if o.n == n {
			c = o
		}
	}
	if id := envelopeID(data); id != "" && c != nil {
		s.sent[id] = time.Now()
	}
	s.mu.Unlock()
	if c == nil {
		return fmt.Errorf("send envelope: connection %d is not open", n)
	}
	return c.write(data)
}

// DropConnection resets the current connection's TCP stream with no
// websocket close, as a network failure would. slack-go sees a read error
// and reconnects. It does nothing if no connection is current.
func (s *Server) DropConnection() {
	c := s.detach()
	if c == nil {
		return
	}
	if tcp, ok := c.ws.NetConn().(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // RST, not FIN
	}
	_ = c.ws.Close()
}

// StallConnection makes the current connection go silent, like a network
// that stops delivering: no more pings or envelopes, acks are dropped. It
// stays open; slack-go closes it and reconnects when no ping came within
// its ping interval (socketmode.OptionPingInterval, 30s by default).
func (s *Server) StallConnection() {
	if c := s.detach(); c != nil {
		c.stalled.Store(true)
	}
}

func helloJSON(numConnections int) []byte {
	return mustJSON(map[string]any{
		"type":            "hello",
		"num_connections": numConnections,
		"debug_info": map[string]any{
			"host": "applink-slacktest", "build_number": 1, "approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": AppID},
	})
}
