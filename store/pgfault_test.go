package store_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

// cutter is a TCP proxy to PostgreSQL that a test can cut, as a network
// partition or a database restart would, and mend again on the same port.
type cutter struct {
	t      *testing.T
	addr   string // where clients connect
	target string // the real server
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newCutter(t *testing.T, target string) *cutter {
	c := &cutter{t: t, target: target}
	c.listen("127.0.0.1:0")
	c.addr = c.ln.Addr().String()
	t.Cleanup(c.cut)
	return c
}

func (c *cutter) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		c.t.Fatal(err)
	}
	c.mu.Lock()
	c.ln = ln
	c.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", c.target)
			if err != nil {
				in.Close()
				continue
			}
			c.mu.Lock()
			c.conns = append(c.conns, in, out)
			c.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
}

// cut closes the listener and every connection through it.
func (c *cutter) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ln != nil {
		c.ln.Close()
		c.ln = nil
	}
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

// mend listens again on the same address.
func (c *cutter) mend() { c.listen(c.addr) }

// TestPostgresUnreachable: while PostgreSQL cannot be reached, /ask gets a
// clear "try again later" and nothing is stored; once it is back the desk
// works again and numbering carries on without a gap.
func TestPostgresUnreachable(t *testing.T) {
	ctx := context.Background()
	u, err := url.Parse(storetest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutter(t, u.Host)
	u.Host = proxy.addr
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	db, err := store.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	desk := bot.New(benchDirectory(), db, bot.Discard{}, bot.NewManualClock(t0), nil)
	ask := func() bot.Reply { return desk.Command(ctx, faultUser, "finance need the Q3 budget numbers") }
	if r := ask(); r.Request == nil || r.Request.ID != "FIN-1" {
		t.Fatalf("before the cut: %q", r.Text)
	}

	proxy.cut()
	r := ask()
	if r.Request != nil {
		t.Fatalf("filed %s with the database unreachable", r.Request.ID)
	}
	if !strings.Contains(r.Text, "cannot be reached") || !strings.Contains(r.Text, "nothing was filed") {
		t.Errorf("reply while unreachable: %q", r.Text)
	}

	proxy.mend()
	// The pool's broken connections are dropped as they are found; a
	// person's next try goes through.
	r = ask()
	for i := 0; r.Request == nil && i < 3; i++ {
		r = ask()
	}
	if r.Request == nil || r.Request.ID != "FIN-2" {
		t.Fatalf("after the database came back: %+v %q", r.Request, r.Text)
	}
	if n, err := store.CountRows(ctx, db, "requests"); err != nil || n != 2 {
		t.Fatalf("%d requests (%v), want 2", n, err)
	}
}
