package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// The outbox's contract (bot.Outbox), on every backend, driven as the
// desk's delivery drives it: read the heads, claim one, send it, record
// the outcome.

// pendingTexts returns the texts of the messages ready at now.
func pendingTexts(t *testing.T, db *store.DB, now time.Time, limit int) ([]string, []bot.OutboxItem) {
	t.Helper()
	items, err := db.PendingMessages(context.Background(), now, limit)
	if err != nil {
		t.Fatalf("pending messages: %v", err)
	}
	var texts []string
	for _, it := range items {
		texts = append(texts, it.Message.Text)
	}
	return texts, items
}

// claim claims it as the delivery does before sending; a fresh item is
// always granted.
func claim(t *testing.T, db *store.DB, it bot.OutboxItem, now time.Time) {
	t.Helper()
	if ok, _, err := db.ClaimMessage(context.Background(), it, now); !ok || err != nil {
		t.Fatalf("claim %q: %v, %v", it.Message.Text, ok, err)
	}
}

func TestOutboxOrder(t *testing.T) { eachBackend(t, testOutboxOrder) }

func testOutboxOrder(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	msgs := []bot.Message{
		{To: "#a", Text: "a1"}, {To: "#a", Text: "a2"}, {To: "#b", Text: "b1"}, {To: "#a", Text: "a3"},
		{To: sam, DM: true, Text: "dm1"}, {To: sam, Text: "channel named like sam"}, {To: sam, DM: true, Text: "dm2"},
	}
	if ok, err := db.PostOnce(ctx, "batch", msgs, t0); !ok || err != nil {
		t.Fatalf("post: %v, %v", ok, err)
	}
	texts, items := pendingTexts(t, db, t0, 10)
	// The head of each destination, oldest first; a DM and a channel of
	// the same name are two destinations.
	if want := []string{"a1", "b1", "dm1", "channel named like sam"}; !reflect.DeepEqual(texts, want) {
		t.Fatalf("heads %v, want %v", texts, want)
	}
	if items[0].Dest == items[1].Dest || items[2].Dest == items[3].Dest || items[0].Attempts != 0 || !items[0].CreatedAt.Equal(t0) {
		t.Errorf("items %+v", items)
	}
	if texts, _ := pendingTexts(t, db, t0, 2); !reflect.DeepEqual(texts, []string{"a1", "b1"}) {
		t.Errorf("limit 2: %v", texts)
	}
	if texts, _ := pendingTexts(t, db, t0.Add(-time.Millisecond), 10); len(texts) != 0 {
		t.Errorf("ready before they were written: %v", texts)
	}
	if n, oldest, err := db.OutboxStats(ctx, t0.Add(time.Hour)); n != 7 || oldest != time.Hour || err != nil {
		t.Errorf("OutboxStats = %d, %v, %v; want 7, 1h", n, oldest, err)
	}

	// Sent in turn, each destination's next comes up.
	now := t0.Add(time.Second)
	claim(t, db, items[0], now)
	if ok, err := db.MessageSent(ctx, items[0], now); !ok || err != nil {
		t.Fatalf("sent a1: %v, %v", ok, err)
	}
	if ok, err := db.MessageSent(ctx, items[0], now); ok || err != nil {
		t.Errorf("a1 sent twice: %v, %v", ok, err)
	}
	texts, items = pendingTexts(t, db, now, 10)
	if want := []string{"a2", "b1", "dm1", "channel named like sam"}; !reflect.DeepEqual(texts, want) {
		t.Fatalf("after a1: %v, want %v", texts, want)
	}

	// A failure holds its destination back until the retry, and only it.
	a2 := items[0]
	claim(t, db, a2, now)
	if err := db.MessageFailed(ctx, a2, now.Add(time.Minute), false, "rate limited"); err != nil {
		t.Fatal(err)
	}
	if texts, _ := pendingTexts(t, db, now, 10); !reflect.DeepEqual(texts, []string{"b1", "dm1", "channel named like sam"}) {
		t.Errorf("while a2 waits: %v", texts)
	}
	now = now.Add(time.Minute)
	texts, items = pendingTexts(t, db, now, 10)
	if len(texts) != 4 || texts[0] != "a2" || items[0].Attempts != 1 {
		t.Fatalf("a2 not back for its retry: %v %+v", texts, items)
	}

	// A permanent failure sets it aside, and the next of its destination goes.
	claim(t, db, items[0], now)
	if err := db.MessageFailed(ctx, items[0], now, true, "channel_not_found"); err != nil {
		t.Fatal(err)
	}
	if texts, _ := pendingTexts(t, db, now, 10); !reflect.DeepEqual(texts, []string{"b1", "a3", "dm1", "channel named like sam"}) {
		t.Errorf("after a2 was set aside: %v", texts)
	}
	if n, _, err := db.OutboxStats(ctx, now); n != 5 || err != nil {
		t.Errorf("OutboxStats = %d, %v; want 5 (a2 set aside, a1 sent)", n, err)
	}
}

func TestOutboxFoldsCards(t *testing.T) { eachBackend(t, testOutboxFoldsCards) }

func testOutboxFoldsCards(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	card := func(to, change string) bot.Message { return bot.Message{To: to, CardFor: "FIN-1", Change: change} }
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: sam, At: t0, Dept: "finance", Priority: bot.Normal, Title: "x", Text: "x"}
	var r bot.Request
	if err := r.Apply(ev); err != nil {
		t.Fatal(err)
	}
	err := db.CreateRequest(ctx, "FIN", &r, &ev, func(r *bot.Request) []bot.Message {
		return []bot.Message{card("#finance", "filed by sam")}
	})
	if err != nil {
		t.Fatal(err)
	}
	act := func(kind bot.EventKind, at time.Time, msgs ...bot.Message) {
		t.Helper()
		e := bot.Event{RequestID: r.ID, Seq: r.Version + 1, Kind: kind, Actor: fiona, At: at, Assignee: fiona}
		next := r
		if err := next.Apply(e); err != nil {
			t.Fatal(err)
		}
		if err := db.Append(ctx, &next, e, msgs); err != nil {
			t.Fatalf("append %s: %v", kind, err)
		}
		r = next
	}
	_, items := pendingTexts(t, db, t0, 10)
	if len(items) != 1 || items[0].Message.CardFor != "FIN-1" || items[0].Message.Change != "filed by sam" {
		t.Fatalf("pending %+v", items)
	}
	read := items[0]
	claim(t, db, read, t0)

	// While the card is being sent, a change is folded into it.
	act(bot.EvClaimed, t0.Add(time.Minute), card("#finance", "claimed by fiona"), bot.Message{To: sam, DM: true, Text: "fiona is on it"})
	if ok, err := db.MessageSent(ctx, read, t0.Add(time.Minute)); ok || err != nil {
		t.Fatalf("MessageSent of a card changed since it was read = %v, %v; want false", ok, err)
	}
	_, items = pendingTexts(t, db, t0.Add(time.Minute), 10)
	if len(items) != 2 || items[0].ID != read.ID || items[0].Rev == read.Rev || items[0].Message.Change != "claimed by fiona" ||
		items[0].Message.To != "#finance" || items[1].Message.Text != "fiona is on it" {
		t.Fatalf("after the fold: %+v", items)
	}
	// Other fields of the stored message are kept as written.
	if items[0].Message.CardFor != "FIN-1" || items[0].Message.DM || items[0].Message.Text != "" {
		t.Errorf("folded message %+v", items[0].Message)
	}
	claim(t, db, items[0], t0.Add(time.Minute))
	if ok, err := db.MessageSent(ctx, items[0], t0.Add(time.Minute)); !ok || err != nil {
		t.Fatalf("MessageSent of the folded card = %v, %v", ok, err)
	}

	// Sent: the next change is a message of its own. A card in another
	// channel is another message too.
	act(bot.EvResolved, t0.Add(2*time.Minute), card("#finance", "resolved by fiona"), card("#it", "resolved by fiona"))
	_, items = pendingTexts(t, db, t0.Add(2*time.Minute), 10)
	var changes []string
	for _, it := range items {
		if it.Message.CardFor != "" {
			changes = append(changes, it.Message.To+" "+it.Message.Change)
		}
	}
	if want := []string{"#finance resolved by fiona", "#it resolved by fiona"}; !reflect.DeepEqual(changes, want) {
		t.Errorf("cards %v, want %v", changes, want)
	}
	// A change that quotes people, with JSON's own metacharacters.
	act(bot.EvReopened, t0.Add(3*time.Minute), card("#finance", `reopened by "sam" \ 财务 <@U1>`))
	_, items = pendingTexts(t, db, t0.Add(3*time.Minute), 10)
	for _, it := range items {
		if it.Message.To == "#finance" && it.Message.Change != `reopened by "sam" \ 财务 <@U1>` {
			t.Errorf("folded change %q", it.Message.Change)
		}
	}
}
