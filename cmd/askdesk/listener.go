package main

import (
	"net"
	"sync"
)

// defaultMaxConns bounds the HTTP connections served at once. Slack's
// requests are answered within 3 s each, so even a busy desk (tens a
// second) holds a few dozen; the bound is for a flood of connections
// from elsewhere, each of which costs a goroutine and its buffers
// (~20 KB) however little it sends.
const defaultMaxConns = 256

// limitListener accepts at most cap(slots) connections at a time; further
// ones wait in the kernel's accept queue until one closes, costing askdesk
// nothing meanwhile.
type limitListener struct {
	net.Listener
	slots  chan struct{}
	wait   func() // told when Accept has to wait for a slot; may be nil
	closed chan struct{}
	once   sync.Once
}

func newLimitListener(ln net.Listener, n int, wait func()) *limitListener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, n), wait: wait, closed: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection.
func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		if l.wait != nil {
			l.wait()
		}
		select {
		case l.slots <- struct{}{}:
		case <-l.closed:
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
}

// Close stops accepting, also when Accept waits for a slot.
func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// limitConn gives its slot back when closed (net/http closes each
// connection once; the slot is given back once however often it is).
type limitConn struct {
	net.Conn
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
