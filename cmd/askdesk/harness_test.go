package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// The test company: Finance works around the clock so the tests do not
// depend on the hour; its intake channel is given by ID.
const testConfig = `
admins = ["U0ADA0001"]

[people]
U0ADA0001 = { name = "ada" }
U0FIONA01 = { name = "fiona" }
U0FRANK01 = { name = "frank" }
U0IVAN001 = { name = "ivan" }
U0SAM0001 = { name = "sam", timezone = "America/Chicago" }
U0TINA001 = { name = "tina" }

[[department]]
name = "finance"
aliases = ["fin"]
prefix = "FIN"
channel = "#finance-requests"
intake_channels = ["C0INTAKE1"]
leads = ["U0FIONA01"]
members = ["U0FRANK01"]
timezone = "America/New_York"
hours.mon = "00:00-24:00"
hours.tue = "00:00-24:00"
hours.wed = "00:00-24:00"
hours.thu = "00:00-24:00"
hours.fri = "00:00-24:00"
hours.sat = "00:00-24:00"
hours.sun = "00:00-24:00"
sla.normal = { first_response = "4h", resolution = "2d" }

[[department]]
name = "it"
prefix = "IT"
channel = "C0ITHELP1"
members = ["U0IVAN001"]
timezone = "Europe/London"
hours.weekdays = "09:00-17:00"
sla.normal = { first_response = "2h", resolution = "1d" }
`

const (
	testSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	sam        = "U0SAM0001"
	fiona      = "U0FIONA01"
	frank      = "U0FRANK01"
	tina       = "U0TINA001"
	finCh      = "C0FINREQ1" // #finance-requests in the fake workspace
)

// harnessStart is the harness clock's time at start: a Tuesday afternoon.
var harnessStart = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

// harness runs the real serve code against a fake Slack.
type harness struct {
	t      testing.TB
	fake   *slacktest.Server
	srv    *server
	clock  *bot.ManualClock
	base   string
	ctx    context.Context
	dbPath string
}

// newHarness starts serve against a fake Slack; opts may change its
// options (a logger, say) before it starts.
func newHarness(t testing.TB, socket bool, opts ...func(*serverOptions)) *harness {
	t.Helper()
	return newHarnessOn(t, slacktest.New(), socket, opts...)
}

// newHarnessOn is newHarness on a fake Slack made by the caller (with its
// own options); it is closed when the test ends.
func newHarnessOn(t testing.TB, fake *slacktest.Server, socket bool, opts ...func(*serverOptions)) *harness {
	t.Helper()
	cfg, err := config.Parse("test.toml", strings.NewReader(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	fake.AddUser(sam, "sam", "Sam Seller", "America/Chicago")
	fake.AddUser(tina, "tina", "Tina", "America/Chicago")
	fake.AddChannel(finCh, "finance-requests")
	h := &harness{t: t, fake: fake, clock: bot.NewManualClock(harnessStart),
		ctx: context.Background(), dbPath: filepath.Join(t.TempDir(), "askdesk.db")}
	sc := config.SlackConfig{BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: fake.URL, Listen: "127.0.0.1:0"}
	if socket {
		sc.AppToken = "xapp-test"
	}
	// The tests pin what is answered, not how fast: under -race on two
	// busy cores an answer can miss Slack's 2 s and come through
	// response_url instead. Tests of the budget set their own.
	so := serverOptions{Slack: sc, Dir: dir, DBPath: h.dbPath, Clock: h.clock, DeliveryTick: time.Hour, AckBudget: 10 * time.Second}
	for _, o := range opts {
		o(&so)
	}
	h.srv, err = startServer(h.ctx, so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.srv.Close() })
	h.base = "http://" + h.srv.Addr()
	return h
}

// deliver lets a few seconds pass, as between two people's clicks, and runs
// the outbox as the delivery loop would. (Pacing holds back a fourth message
// to one channel within the same second.)
func (h *harness) deliver() int {
	h.t.Helper()
	h.clock.Advance(3 * time.Second)
	n, err := h.srv.desk.Deliver(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// deliverAll delivers until the outbox holds nothing left to send, a few
// seconds of the clock at a time. One delivery sending nothing does not mean
// the outbox is empty: the server's own delivery loop, woken by a filing,
// may have just taken this second's slots for a channel.
func (h *harness) deliverAll() {
	h.t.Helper()
	for {
		pending, _, err := h.srv.db.OutboxStats(h.ctx, h.clock.Now())
		if err != nil {
			h.t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		h.deliver()
	}
}

// deliverNow runs the outbox at the clock's current time.
func (h *harness) deliverNow() int {
	h.t.Helper()
	n, err := h.srv.desk.Deliver(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// send posts a body signed with secret at ts.
func (h *harness) send(path string, body []byte, secret string, ts time.Time, header http.Header) (int, string) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.base+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if strings.HasSuffix(path, "/events") {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if secret != "" {
		slacktest.SignRequest(req, secret, ts, body)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (h *harness) signed(path string, body []byte) (int, string) {
	return h.send(path, body, testSecret, time.Now(), nil)
}

// slashForm is Slack's documented slash command, as /ask from user.
func slashForm(t testing.TB, user, text string) url.Values {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/slack/slash_docs_weather.txt")
	if err != nil {
		t.Fatal(err)
	}
	form, err := url.ParseQuery(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	form.Set("command", "/ask")
	form.Set("user_id", user)
	form.Set("text", text)
	return form
}

func (h *harness) slash(user, text string) (int, string) {
	return h.signed("/slack/commands", []byte(h.slashForm(user, text).Encode()))
}

var responseSeq atomic.Int64

// slashForm is slashForm with a response_url of the fake's, as Slack gives
// every command one of its own.
func (h *harness) slashForm(user, text string) url.Values {
	form := slashForm(h.t, user, text)
	form.Set("response_url", h.fake.ResponseURL(fmt.Sprintf("cmd-%d", responseSeq.Add(1))))
	return form
}

var eventSeq atomic.Int64

// eventBody is Slack's documented event_callback with inner event ev.
func eventBody(t testing.TB, id string, ev map[string]any) []byte {
	t.Helper()
	var p map[string]any
	raw, err := os.ReadFile("../../testdata/slack/events_message_im.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	if id == "" {
		id = fmt.Sprintf("Ev%08d", eventSeq.Add(1))
	}
	p["event_id"], p["event"] = id, ev
	b, _ := json.Marshal(p)
	return b
}

// count returns how many rows a table has, straight from the file.
func (h *harness) count(table string) int {
	h.t.Helper()
	db, err := store.OpenNoMigrate(h.ctx, h.dbPath)
	if err != nil {
		h.t.Fatal(err)
	}
	defer db.Close()
	n, err := store.CountRows(h.ctx, db, table)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// waitCtx bounds a wait for something the server does in the background.
func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func getStatus(u string) (int, string) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
