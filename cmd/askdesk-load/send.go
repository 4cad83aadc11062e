package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// ack is what Slack got back for one request or envelope, and when.
type ack struct {
	body []byte        // the HTTP response body, or the ack's payload (empty for a bare ack)
	took time.Duration // from sending to the acknowledgement
}

// ackTimeout is the error of a request or envelope that got no
// acknowledgement within -ack-timeout.
type ackTimeout struct {
	id      string // envelope ID, "" over HTTP
	timeout time.Duration
}

func (e *ackTimeout) Error() string {
	if e.id == "" {
		return fmt.Sprintf("no HTTP response within %s", e.timeout)
	}
	return fmt.Sprintf("envelope %s not acknowledged within %s", e.id, e.timeout)
}

// sender delivers what Slack sends an app, the way it does in one mode:
// signed HTTP requests, or envelopes on the Socket Mode websocket. id is
// the envelope ID (unused over HTTP); each call sends a new one.
type sender interface {
	command(ctx context.Context, id string, form url.Values) (ack, error)
	interaction(ctx context.Context, id string, payload []byte) (ack, error)
	event(ctx context.Context, id string, callback []byte) (ack, error)
}

// poster sends signed HTTP requests to one target; the acknowledgement is
// the response.
type poster struct {
	base    string   // http://host:port
	bases   []string // every replica's, when there are several
	secret  string
	http    *http.Client
	timeout time.Duration // -ack-timeout
}

// forClient is the poster client c uses: with several replicas, the
// clients are spread over them as a load balancer would.
func (s *poster) forClient(c int) sender {
	if len(s.bases) < 2 {
		return s
	}
	cp := *s
	cp.base = s.bases[c%len(s.bases)]
	return &cp
}

func (s *poster) command(ctx context.Context, _ string, form url.Values) (ack, error) {
	return s.post(ctx, "/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()))
}

func (s *poster) interaction(ctx context.Context, _ string, payload []byte) (ack, error) {
	body := url.Values{"payload": {string(payload)}}.Encode()
	return s.post(ctx, "/slack/interactions", "application/x-www-form-urlencoded", []byte(body))
}

func (s *poster) event(ctx context.Context, _ string, callback []byte) (ack, error) {
	return s.post(ctx, "/slack/events", "application/json", callback)
}

// post sends body to path signed with the current time and wants a 200.
// The acknowledgement's time runs from sending to the end of the reply.
func (s *poster) post(ctx context.Context, path, contentType string, body []byte) (ack, error) {
	rctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, s.base+path, bytes.NewReader(body))
	if err != nil {
		return ack{}, err
	}
	req.Header.Set("Content-Type", contentType)
	slacktest.SignRequest(req, s.secret, time.Now(), body)
	start := time.Now()
	resp, err := s.http.Do(req)
	if err == nil {
		var reply []byte
		reply, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			if resp.StatusCode != http.StatusOK {
				return ack{}, fmt.Errorf("%s: HTTP %d: %.200s", path, resp.StatusCode, reply)
			}
			return ack{body: reply, took: time.Since(start)}, nil
		}
	}
	if ctx.Err() == nil && errors.Is(rctx.Err(), context.DeadlineExceeded) {
		return ack{}, &ackTimeout{timeout: s.timeout}
	}
	return ack{}, err
}

// socketSender sends envelopes on the fake Slack's Socket Mode websocket;
// the acknowledgement's time is the fake's, from writing the envelope to
// reading its ack.
type socketSender struct {
	fake    *slacktest.Server
	timeout time.Duration // -ack-timeout
}

func (s *socketSender) command(ctx context.Context, id string, form url.Values) (ack, error) {
	return s.send(ctx, slacktest.SlashCommandEnvelope(id, form))
}

func (s *socketSender) interaction(ctx context.Context, id string, payload []byte) (ack, error) {
	return s.send(ctx, slacktest.InteractiveEnvelope(id, payload))
}

// event sends callback, an event_callback as POSTed over HTTP, in an
// events_api envelope: Slack's Socket Mode payload is the same body.
func (s *socketSender) event(ctx context.Context, id string, callback []byte) (ack, error) {
	return s.send(ctx, slacktest.Envelope{Payload: callback, EnvelopeID: id, Type: "events_api"})
}

func (s *socketSender) send(ctx context.Context, env slacktest.Envelope) (ack, error) {
	wctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.fake.SendEnvelope(wctx, env); err != nil {
		return ack{}, err
	}
	payload, err := s.fake.WaitAck(wctx, env.EnvelopeID)
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return ack{}, &ackTimeout{id: env.EnvelopeID, timeout: s.timeout}
		}
		return ack{}, err
	}
	took, ok := s.fake.AckLatency(env.EnvelopeID)
	if !ok {
		return ack{}, fmt.Errorf("envelope %s: acked, but the fake has no ack time for it", env.EnvelopeID)
	}
	return ack{body: payload, took: took}, nil
}

// lateAcks waits until deadline for the envelopes that timed out to be
// acked after all, and returns how many were.
func lateAcks(ctx context.Context, fake *slacktest.Server, ids []string, deadline time.Time) int {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	n := 0
	for _, id := range ids {
		if _, err := fake.WaitAck(ctx, id); err == nil {
			n++
		}
	}
	return n
}
