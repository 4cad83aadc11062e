package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// The lock run (-lock D) asks what a user is told while another process
// holds the SQLite database's write lock: N clients file /ask for D while
// a connection of this tool holds BEGIN EXCLUSIVE, and afterwards every
// answer is checked against the database. An answer that says "filed" for
// a request the database lacks, or "nothing was filed" for one it holds,
// is a lie a user acts on (files again, or waits for nothing).

// lockAsk is one /ask sent during the lock and what its user was told.
type lockAsk struct {
	marker string // unique text in the request, to find it in the database
	id     string // envelope ID, and the response_url's
	sent   time.Time
	took   time.Duration // to the acknowledgement
	body   []byte        // the acknowledgement's reply; empty when bare
	err    error
}

// lockReport is the lock run's outcome.
type lockReport struct {
	Mode     string  `json:"mode"`
	LockS    float64 `json:"lock_s"`
	Clients  int     `json:"clients"`
	Asks     int     `json:"asks"`
	Over3s   int     `json:"acks_over_3s"`
	MaxAckMs float64 `json:"ack_max_ms"`
	P50ms    float64 `json:"ack_p50_ms"`
	Timeouts int     `json:"ack_timeouts"`
	Errors   int     `json:"errors"`
	// What the ack (or, for a bare ack, the response_url answer) said,
	// against what the database holds after the lock.
	SaidFiledStored      int `json:"said_filed_stored"`
	SaidNotFiledAbsent   int `json:"said_not_filed_absent"`
	SaidFiledButAbsent   int `json:"said_filed_but_absent"`
	SaidNotFiledButFiled int `json:"said_not_filed_but_stored"`
	// The answer (in the ack, or through response_url after a bare one)
	// came this long after sending.
	AnswerP50ms  float64 `json:"answer_p50_ms"`
	AnswerMaxMs  float64 `json:"answer_max_ms"`
	AnswerOver3s int     `json:"answers_over_3s"`
	// BareAcks went without an answer; LateAnswers of them got one
	// through response_url.
	BareAcks    int `json:"bare_acks"`
	LateAnswers int `json:"late_answers"`
	// Unanswered got no answer at all: Slack showed a timeout, or a
	// bare ack was never followed up.
	Unanswered       int `json:"unanswered"`
	UnansweredStored int `json:"unanswered_but_stored"`
	Stored           int `json:"stored"`
}

var notFiledText = regexp.MustCompile(`nothing was filed|did nothing`)

// runLock runs the lock scenario against a fresh askdesk in mode.
func (b *bench) runLock(ctx context.Context, mode string) (*lockReport, error) {
	o := b.o
	dbPath := filepath.Join(b.tmp, "askdesk-lock-"+mode+".db")
	env := askdeskEnv(mode, b.secret)
	r := &askdeskRun{b: b, mode: mode, env: env}
	defer r.stop()
	if err := r.start(ctx, dbPath, 1); err != nil {
		return nil, err
	}
	b.progress("lock run (%s mode): %d clients file /ask for %s while another connection holds the database's write lock", mode, o.Clients, o.Lock)

	lockDB, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	defer lockDB.Close()
	conn, err := lockDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		return nil, fmt.Errorf("take the write lock: %w", err)
	}
	locked := time.Now()
	end := locked.Add(o.Lock)

	var (
		mu   sync.Mutex
		asks []*lockAsk
		wg   sync.WaitGroup
	)
	for c := range o.Clients {
		s := r.target.sender(c)
		wg.Go(func() {
			for seq := 0; time.Now().Before(end) && ctx.Err() == nil; seq++ {
				a := &lockAsk{marker: fmt.Sprintf("lockrun-c%d-n%d", c, seq), id: fmt.Sprintf("lock-%s-%d-%d", mode, c, seq)}
				dep := b.plan.depts[(c+seq)%len(b.plan.depts)]
				user := b.plan.people[(c*7+seq)%len(b.plan.people)]
				form := b.plan.pl.command(user, dep.Name+" please look at "+a.marker, fmt.Sprintf("%d.%d.lock", c, seq), b.fake.ResponseURL(a.id))
				a.sent = time.Now()
				ack, err := s.command(ctx, a.id, form)
				a.took, a.body, a.err = ack.took, ack.body, err
				mu.Lock()
				asks = append(asks, a)
				mu.Unlock()
			}
		})
	}
	// The lock is released at its end whatever the clients wait for: the
	// ones still waiting then may still be filed.
	t := time.NewTimer(time.Until(end))
	select {
	case <-t.C:
	case <-ctx.Done():
	}
	t.Stop()
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		return nil, fmt.Errorf("release the write lock: %w", err)
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	// Late answers go through response_url once askdesk gave up on the
	// ack; wait for askdesk's work to settle (its outbox to drain).
	if _, _, err := waitDrained(ctx, b.hc, r.health, o.DrainTimeout); err != nil {
		return nil, err
	}
	// An answer through response_url follows its handler's end, which the
	// outbox does not see: give the last of them a moment.
	settle := time.NewTimer(2 * time.Second)
	select {
	case <-settle.C:
	case <-ctx.Done():
		settle.Stop()
		return nil, ctx.Err()
	}
	stored, err := storedMarkers(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	late := lateAnswers(b.fake.CallsTo(slacktest.ResponseURLMethod))
	return tallyLock(mode, o, asks, stored, late), nil
}

// tallyLock checks each answer against the database.
func tallyLock(mode string, o options, asks []*lockAsk, stored map[string]bool, late map[string]lateAnswer) *lockReport {
	rep := &lockReport{Mode: mode, LockS: o.Lock.Seconds(), Clients: o.Clients, Asks: len(asks)}
	var lat, answered []time.Duration
	for _, a := range asks {
		in := stored[a.marker]
		if in {
			rep.Stored++
		}
		var timeout *ackTimeout
		switch {
		case errors.As(a.err, &timeout):
			rep.Timeouts++
		case a.err != nil:
			rep.Errors++
		default:
			lat = append(lat, a.took)
		}
		said := ""
		if a.err == nil {
			if bare(a.body) {
				rep.BareAcks++
				if l, ok := late[a.id]; ok {
					rep.LateAnswers++
					said = l.text
					answered = append(answered, l.at.Sub(a.sent))
				}
			} else {
				said, _ = replyText(a.body, "/ask")
				answered = append(answered, a.took)
			}
		}
		switch {
		case said == "":
			rep.Unanswered++
			if in {
				rep.UnansweredStored++
			}
		case filedID.MatchString(said) && in:
			rep.SaidFiledStored++
		case filedID.MatchString(said):
			rep.SaidFiledButAbsent++
		case notFiledText.MatchString(said) && in:
			rep.SaidNotFiledButFiled++
		case notFiledText.MatchString(said):
			rep.SaidNotFiledAbsent++
		default:
			rep.Errors++
		}
	}
	var s ackStats
	s.fill(lat)
	rep.Over3s, rep.MaxAckMs, rep.P50ms = s.Over3s, s.MaxMs, s.P50ms
	var as ackStats
	as.fill(answered)
	rep.AnswerOver3s, rep.AnswerMaxMs, rep.AnswerP50ms = as.Over3s, as.MaxMs, as.P50ms
	return rep
}

// lateAnswer is what was posted to a response_url, and when.
type lateAnswer struct {
	text string
	at   time.Time
}

// lateAnswers maps a response_url's ID to what was posted to it.
func lateAnswers(calls []slacktest.Call) map[string]lateAnswer {
	out := map[string]lateAnswer{}
	for _, c := range calls {
		var m struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(c.Body, &m) == nil && m.Text != "" {
			out[c.Params.Get("id")] = lateAnswer{m.Text, c.At}
		}
	}
	return out
}

var lockMarker = regexp.MustCompile(`lockrun-c\d+-n\d+`)

// storedMarkers lists the lock run's requests the database holds.
func storedMarkers(ctx context.Context, dbPath string) (map[string]bool, error) {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT title || ' ' || body FROM requests")
	if err != nil {
		return nil, fmt.Errorf("read the lock run's requests: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return nil, err
		}
		for _, m := range lockMarker.FindAllString(text, -1) {
			out[m] = true
		}
	}
	return out, rows.Err()
}

func (l *lockReport) print(w io.Writer) {
	fmt.Fprintf(w, "lock run (%s mode): %d clients, write lock held %.0fs by another connection\n", l.Mode, l.Clients, l.LockS)
	fmt.Fprintf(w, "  /ask sent %d: ack p50 %.0f ms, max %.0f ms, over 3s %d, timeouts %d, errors %d\n",
		l.Asks, l.P50ms, l.MaxAckMs, l.Over3s, l.Timeouts, l.Errors)
	fmt.Fprintf(w, "  answer (in the ack, or through response_url after a bare ack) p50 %.0f ms, max %.0f ms, over 3s %d\n",
		l.AnswerP50ms, l.AnswerMaxMs, l.AnswerOver3s)
	fmt.Fprintf(w, "  told filed and stored %d; told nothing was filed and not stored %d\n", l.SaidFiledStored, l.SaidNotFiledAbsent)
	fmt.Fprintf(w, "  told filed but not stored %d; told nothing was filed but stored %d\n", l.SaidFiledButAbsent, l.SaidNotFiledButFiled)
	fmt.Fprintf(w, "  bare acks %d (answered later through response_url %d); no answer at all %d, of which stored %d\n",
		l.BareAcks, l.LateAnswers, l.Unanswered, l.UnansweredStored)
	fmt.Fprintf(w, "  stored after the lock: %d\n", l.Stored)
}
