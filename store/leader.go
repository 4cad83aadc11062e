package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"
	"time"
)

// Leadership decides which replica runs the periodic jobs (the reminder
// sweep, digests, surveys, pruning), so that they run on exactly one at a
// time. On PostgreSQL the leader is whoever holds a session advisory lock:
// the lock lives as long as the leader's connection, so when the leader's
// process dies PostgreSQL drops it and the next replica to ask takes over
// within one poll. On SQLite there is one process per file, which always
// leads.
//
// Leading is a hint for efficiency, not what makes jobs safe: every job's
// effects are idempotent in the store (a reminder is recorded once per
// series, a digest once per week), so a moment with two leaders (a leader
// cut off from PostgreSQL that has not noticed yet) repeats no message.
type Leadership struct {
	db    *DB
	every time.Duration

	mu      sync.Mutex
	conn    *sql.Conn // holding the lock; nil when not leading
	leading bool
	changed chan struct{} // closed and replaced on every change
}

// LeaderPoll is how often a replica that does not lead asks for the lock,
// and how often the leader checks it still holds it: the bound on a
// takeover after the leader's process dies.
const LeaderPoll = 2 * time.Second

// Leadership returns the leadership of this database's jobs; Run takes
// part in the election.
func (db *DB) Leadership() *Leadership {
	return &Leadership{db: db, every: LeaderPoll, changed: make(chan struct{})}
}

// Leading reports whether this process leads now.
func (l *Leadership) Leading() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leading
}

// Changed returns a channel closed at the next change of Leading.
func (l *Leadership) Changed() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.changed
}

func (l *Leadership) set(leading bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.leading == leading {
		return
	}
	l.leading = leading
	close(l.changed)
	l.changed = make(chan struct{})
}

// Run takes part in the election until ctx ends, then gives up the lead.
// onLead, if not nil, runs (in Run's goroutine) each time this process
// becomes the leader, for work to make up at once, such as a sweep.
func (l *Leadership) Run(ctx context.Context, onLead func(ctx context.Context)) {
	if !l.db.pg {
		l.set(true)
		if onLead != nil {
			onLead(ctx)
		}
		<-ctx.Done()
		l.set(false)
		return
	}
	t := time.NewTicker(l.every)
	defer t.Stop()
	defer l.resign()
	for {
		was := l.Leading()
		l.poll(ctx)
		if !was && l.Leading() && onLead != nil {
			onLead(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// poll takes the lock when free, or checks the held lock's connection.
func (l *Leadership) poll(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, l.every)
	defer cancel()
	l.mu.Lock()
	conn := l.conn
	l.mu.Unlock()
	if conn != nil {
		// The lock is ours while its session lives.
		if err := conn.PingContext(pctx); err != nil {
			l.resign()
		}
		return
	}
	conn, err := l.db.write.Conn(pctx)
	if err != nil {
		return
	}
	var got bool
	if err := conn.QueryRowContext(pctx, "SELECT pg_try_advisory_lock("+leaderKey+")", "askdesk-leader:").Scan(&got); err != nil || !got {
		conn.Close()
		return
	}
	// A leader's host that vanishes without closing its connection is
	// noticed by PostgreSQL's keepalives: ~25 s rather than the OS's
	// two hours. (Set on this session only, which is never pooled again.)
	for _, q := range []string{"SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 5", "SET tcp_keepalives_count = 3"} {
		if _, err := conn.ExecContext(pctx, q); err != nil {
			break // a Unix socket has no keepalives; the lock works alike
		}
	}
	l.mu.Lock()
	l.conn = conn
	l.mu.Unlock()
	l.set(true)
}

// leaderKey is the advisory lock's key: one per schema, so installations
// sharing a database in separate schemas elect their own leaders.
const leaderKey = "('x' || substr(md5(? || current_schema()), 1, 16))::bit(64)::bigint"

// resign gives up the lead: the connection (and with it the lock) is
// closed rather than returned to the pool, where the lock would live on.
func (l *Leadership) resign() {
	l.mu.Lock()
	conn := l.conn
	l.conn = nil
	l.mu.Unlock()
	if conn != nil {
		// ErrBadConn from Raw makes database/sql close the connection
		// instead of pooling it.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}
	l.set(false)
}
