package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// -mode attack: what clients that are not Slack cost askdesk. Each round
// opens -conns connections at once, each sending a POST with a -body of
// junk that no signature covers, and measures askdesk's memory before,
// at its peak, and -settle after the round, while a signed /ask is filed
// every 100 ms to see that Slack's own traffic is still answered. Each
// connection holds back its body's last byte until all have sent the rest,
// and -hold longer, as slow senders would. Rounds:
//
//	unsigned  no signature headers
//	stale     a signature over the body, with a timestamp ten minutes old
//	forged    a current timestamp and a signature of the right form that
//	          is not the body's (checked only once the body is read)

// attackKinds are the rounds, in the order run.
var attackKinds = []string{"unsigned", "stale", "forged"}

// attackRound is one round's figures.
type attackRound struct {
	Kind        string         `json:"kind"`
	Conns       int            `json:"conns"`
	BodyBytes   int64          `json:"body_bytes"`
	BeforeRSSMB float64        `json:"before_rss_mb"`
	PeakRSSMB   float64        `json:"peak_rss_mb"` // the largest VmRSS sampled during the round
	AfterRSSMB  float64        `json:"after_rss_mb"`
	AfterAnonMB float64        `json:"after_anon_mb"`
	SettleS     float64        `json:"settle_s"`
	Answers     map[string]int `json:"answers"` // HTTP status, or the client's error, per connection
	Seconds     float64        `json:"seconds"` // from the first connection to the last answer
	Signed      signedDuring   `json:"signed_during"`
}

// signedDuring is what became of the signed requests sent during a round.
type signedDuring struct {
	Sent     int      `json:"sent"`
	Answered int      `json:"answered"` // 200 with the reply in it
	Deferred int      `json:"deferred"` // a bare 200 in time, the reply through response_url
	MaxMs    float64  `json:"max_ms"`
	Errors   []string `json:"errors,omitempty"`
}

type attackReport struct {
	Binary string        `json:"askdesk_binary,omitempty"`
	Rounds []attackRound `json:"rounds"`
	HWMMB  float64       `json:"peak_rss_since_start_mb"` // VmHWM at the end
}

// parseSize reads "1MiB", "256KiB", "512KB" or a number of bytes.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"MiB", 1 << 20}, {"KiB", 1 << 10}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}, {"", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseFloat(num, 64)
			if err != nil || n <= 0 {
				return 0, fmt.Errorf("size %q: want a positive number of B, KB, KiB, MB or MiB", s)
			}
			return int64(n * float64(u.mult)), nil
		}
	}
	return 0, fmt.Errorf("size %q", s)
}

// runAttack starts askdesk in HTTP mode and runs the rounds against it.
func (b *bench) runAttack(ctx context.Context, stdout io.Writer) error {
	o := b.o
	env := []string{"SLACK_BOT_TOKEN=" + botToken, "SLACK_SIGNING_SECRET=" + b.secret}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SLACK_") && !strings.HasPrefix(kv, "ASKDESK_") {
			env = append(env, kv)
		}
	}
	r := &askdeskRun{b: b, mode: "http", env: env}
	defer r.stop()
	if err := r.start(ctx, filepath.Join(b.tmp, "askdesk-attack.db"), 1); err != nil {
		return err
	}
	p := r.procs[0]
	rep := attackReport{Binary: o.Askdesk}
	for _, kind := range o.attacks {
		b.progress("attack %s: %d connections with %d-byte bodies, then %s to settle", kind, o.Conns, o.bodyBytes, o.Settle)
		round, err := b.attackRound(ctx, p, kind)
		if err != nil {
			return err
		}
		rep.Rounds = append(rep.Rounds, round)
	}
	m, err := readMem(p.cmd.Process.Pid)
	if err != nil {
		return err
	}
	rep.HWMMB = mb(m.HWM)
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(stdout)
	return nil
}

// attackRound runs one round of kind against p.
func (b *bench) attackRound(ctx context.Context, p *proc, kind string) (attackRound, error) {
	o := b.o
	pid := p.cmd.Process.Pid
	before, err := readMem(pid)
	if err != nil {
		return attackRound{}, err
	}
	round := attackRound{Kind: kind, Conns: o.Conns, BodyBytes: o.bodyBytes, BeforeRSSMB: mb(before.RSS),
		SettleS: o.Settle.Seconds(), Answers: map[string]int{}}
	sm := sampleRSS(pid, 50*time.Millisecond)

	// Signed traffic during the attack: a real /ask every 100 ms.
	probeCtx, stopProbe := context.WithCancel(ctx)
	var probes sync.WaitGroup
	probes.Add(1)
	go func() {
		defer probes.Done()
		round.Signed = b.signedProbe(probeCtx, "http://"+p.addr, kind)
	}()

	junk := []byte(strings.Repeat("x", int(o.bodyBytes)))
	answers := make(chan string, o.Conns)
	var conns, sent sync.WaitGroup
	sent.Add(o.Conns)
	start := time.Now()
	for range o.Conns {
		conns.Add(1)
		go func() {
			defer conns.Done()
			answers <- attackOne(p.addr, kind, junk, b.secret, &sent, o.Hold)
		}()
	}
	conns.Wait()
	round.Seconds = time.Since(start).Seconds()
	close(answers)
	for a := range answers {
		round.Answers[a]++
	}
	stopProbe()
	probes.Wait()
	peak, err := sm.stop()
	if err != nil {
		return round, err
	}
	round.PeakRSSMB = mb(peak.RSS)
	select {
	case <-time.After(o.Settle):
	case <-ctx.Done():
		return round, ctx.Err()
	}
	after, err := readMem(pid)
	if err != nil {
		return round, err
	}
	round.AfterRSSMB, round.AfterAnonMB = mb(after.RSS), mb(after.Anon)
	return round, nil
}

// attackOne sends one hostile request of kind, with body, and returns what
// came back: the HTTP status, or what the connection did instead.
func attackOne(addr, kind string, body []byte, secret string, sent *sync.WaitGroup, hold time.Duration) string {
	conn, err := net.DialTimeout("tcp", addr, 30*time.Second)
	if err != nil {
		sent.Done()
		return "dial error"
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	var h strings.Builder
	fmt.Fprintf(&h, "POST /slack/commands HTTP/1.1\r\nHost: askdesk\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n", len(body))
	switch kind {
	case "stale":
		ts, sig := slacktest.Sign(secret, time.Now().Add(-10*time.Minute), body)
		fmt.Fprintf(&h, "%s: %s\r\n%s: %s\r\n", slacktest.HeaderTimestamp, ts, slacktest.HeaderSignature, sig)
	case "forged":
		ts, sig := slacktest.Sign("not-the-secret", time.Now(), body)
		fmt.Fprintf(&h, "%s: %s\r\n%s: %s\r\n", slacktest.HeaderTimestamp, ts, slacktest.HeaderSignature, sig)
	}
	h.WriteString("\r\n")
	// The body is written while the answer is read: a server that answers
	// early stops reading, and the write then fails. Its last byte waits
	// until every connection has sent the rest, and -hold more, so that a
	// server reading bodies holds all of them at once, as it would from
	// slow senders.
	written := make(chan error, 1)
	go func() {
		bufs := net.Buffers{[]byte(h.String()), body[:len(body)-1]} // body shared, not copied
		_, err := bufs.WriteTo(conn)
		sent.Done()
		sent.Wait()
		time.Sleep(hold) // a slow sender: the server reads what is in the socket meanwhile
		if err == nil {
			_, err = conn.Write(body[len(body)-1:])
		}
		written <- err
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		conn.Close()
		<-written
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return "closed without an answer"
		}
		return "read error"
	}
	resp.Body.Close()
	conn.Close() // ends the write, if the server stopped reading
	<-written
	return strconv.Itoa(resp.StatusCode)
}

// signedProbe files a signed /ask every 100 ms until ctx ends. A bare
// 200 is an ack in time whose reply goes through response_url.
func (b *bench) signedProbe(ctx context.Context, base, tag string) signedDuring {
	var d signedDuring
	s := &poster{base: base, secret: b.secret, http: b.hc, timeout: b.o.AckTimeout}
	dep := b.dir.Departments[0]
	user := requesters(b.dir)[0]
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for n := 1; ; n++ {
		id := fmt.Sprintf("attack-%s-%d", tag, n)
		form := b.plan.pl.command(user, dep.Name+" filed during the "+tag+" attack", "attack."+id, b.fake.ResponseURL(id))
		d.Sent++
		a, err := s.command(context.WithoutCancel(ctx), id, form)
		switch {
		case err == nil && bare(a.body):
			d.Deferred++
			d.MaxMs = max(d.MaxMs, ms(a.took))
		case err == nil:
			d.Answered++
			d.MaxMs = max(d.MaxMs, ms(a.took))
		case len(d.Errors) < 5:
			d.Errors = append(d.Errors, err.Error())
		}
		select {
		case <-ctx.Done():
			return d
		case <-t.C:
		}
	}
}

func (r attackReport) print(w io.Writer) {
	if r.Binary != "" {
		fmt.Fprintf(w, "askdesk binary: %s\n", r.Binary)
	}
	fmt.Fprintf(w, "%-9s %6s %9s %10s %9s %11s %12s  %-34s %s\n", "attack", "conns", "body", "before MB", "peak MB", "after MB", "(anon) after", "answers", "signed /ask during it")
	for _, x := range r.Rounds {
		var ans []string
		for k, n := range x.Answers {
			ans = append(ans, fmt.Sprintf("%s×%d", k, n))
		}
		sort.Strings(ans)
		signed := fmt.Sprintf("%d/%d answered, slowest %.0f ms", x.Signed.Answered, x.Signed.Sent, x.Signed.MaxMs)
		if x.Signed.Deferred > 0 {
			signed += fmt.Sprintf(", %d acked bare (reply by response_url)", x.Signed.Deferred)
		}
		if len(x.Signed.Errors) > 0 {
			signed += "; " + x.Signed.Errors[0]
		}
		fmt.Fprintf(w, "%-9s %6d %9d %10.1f %9.1f %11.1f %12.1f  %-34s %s\n", x.Kind, x.Conns, x.BodyBytes, x.BeforeRSSMB, x.PeakRSSMB,
			x.AfterRSSMB, x.AfterAnonMB, strings.Join(ans, " ")+fmt.Sprintf(" in %.1fs", x.Seconds), signed)
	}
	fmt.Fprintf(w, "after = %.0f s after the round's last answer; peak RSS since start (VmHWM): %.1f MB\n", r.Rounds[0].SettleS, r.HWMMB)
}
