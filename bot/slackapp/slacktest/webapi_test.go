package slacktest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

func TestChat(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	section := slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*FIN-1*", false, false), nil, nil)

	ch, ts, err := api.PostMessage("#finance", slack.MsgOptionText("new request", false), slack.MsgOptionBlocks(section))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ts, "1764000000.000100"; got != want {
		t.Errorf("ts = %q, want %q", got, want)
	}
	if strings.HasPrefix(ch, "#") || ch == "" {
		t.Errorf("channel = %q, want an ID", ch)
	}
	ch2, _, err := api.PostMessage("finance", slack.MsgOptionText("again", false))
	if err != nil || ch2 != ch {
		t.Errorf("post to name: channel %q, %v; want %q", ch2, err, ch)
	}

	t.Run("Update", func(t *testing.T) {
		if _, _, _, err := api.UpdateMessage(ch, ts, slack.MsgOptionText("claimed", false)); err != nil {
			t.Fatal(err)
		}
		msgs := s.Messages("#finance")
		if len(msgs) != 2 {
			t.Fatalf("messages = %+v, want 2", msgs)
		}
		got := msgs[0]
		if got.Text != "claimed" || got.Updated != 1 || got.TS != ts || got.User != slacktest.BotUserID {
			t.Errorf("message = %+v", got)
		}
		if !strings.Contains(string(got.Blocks), "FIN-1") {
			t.Errorf("blocks = %s, want the posted ones kept", got.Blocks)
		}
	})

	t.Run("ErrMessageNotFound", func(t *testing.T) {
		_, _, _, err := api.UpdateMessage(ch, "1.000001", slack.MsgOptionText("x", false))
		if got := SlackError(err); got != "message_not_found" {
			t.Errorf("error = %v, want message_not_found", err)
		}
	})

	t.Run("Thread", func(t *testing.T) {
		_, rts, err := api.PostMessage(ch, slack.MsgOptionText("reply", false), slack.MsgOptionTS(ts))
		if err != nil {
			t.Fatal(err)
		}
		msgs, _, _, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: ch, Timestamp: ts})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[1].Timestamp != rts || msgs[1].ThreadTimestamp != ts || msgs[0].ReplyCount != 1 {
			t.Errorf("replies = %+v", msgs)
		}
	})

	t.Run("Ephemeral", func(t *testing.T) {
		ets, err := api.PostEphemeral(ch, "U0ASKER", slack.MsgOptionText("only you", false))
		if err != nil || ets == "" {
			t.Fatalf("ts %q, err %v", ets, err)
		}
		calls := s.CallsTo("chat.postEphemeral")
		if len(calls) != 1 {
			t.Fatalf("calls = %d, want 1", len(calls))
		}
		c := calls[0]
		if c.Params.Get("user") != "U0ASKER" || c.Params.Get("text") != "only you" || c.Token != botToken {
			t.Errorf("call = %+v", c)
		}
	})

	t.Run("Permalink", func(t *testing.T) {
		link, err := api.GetPermalink(&slack.PermalinkParameters{Channel: ch, Ts: ts})
		if err != nil {
			t.Fatal(err)
		}
		if want := "/archives/" + ch + "/p1764000000000100"; !strings.HasSuffix(link, want) {
			t.Errorf("permalink = %q, want suffix %q", link, want)
		}
	})
}

func TestConversationsOpen(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	ch, _, _, err := api.OpenConversation(&slack.OpenConversationParameters{Users: []string{"U123"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ch.ID, "DU123"; got != want {
		t.Errorf("channel = %q, want %q", got, want)
	}
	// Posting to the user ID lands in the same DM, as on Slack.
	if got, _, err := api.PostMessage("U123", slack.MsgOptionText("hi", false)); err != nil || got != "DU123" {
		t.Errorf("post to user: channel %q, %v", got, err)
	}
	if _, _, _, err := api.OpenConversation(&slack.OpenConversationParameters{}); SlackError(err) != "users_list_not_supplied" {
		t.Errorf("no users: %v", err)
	}
}

func TestUsersInfo(t *testing.T) {
	s := MustStart(t)
	s.AddUser("U1", "egon", "Egon Spengler", "America/Los_Angeles")
	api := NewClient(s)

	t.Run("OK", func(t *testing.T) {
		u, err := api.GetUserInfo("U1")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != "U1" || u.Name != "egon" || u.RealName != "Egon Spengler" || u.TZ != "America/Los_Angeles" {
			t.Errorf("user = %+v", u)
		}
		if u.TZOffset != -7*3600 && u.TZOffset != -8*3600 {
			t.Errorf("tz_offset = %d", u.TZOffset)
		}
		if u.Profile.RealName != "Egon Spengler" || u.TeamID != slacktest.TeamID {
			t.Errorf("profile = %+v, team %q", u.Profile, u.TeamID)
		}
	})
	t.Run("ErrUserNotFound", func(t *testing.T) {
		if _, err := api.GetUserInfo("U404"); SlackError(err) != "user_not_found" {
			t.Errorf("error = %v, want user_not_found", err)
		}
	})
}

func TestHistory(t *testing.T) {
	s := MustStart(t)
	s.AddChannel("C0HELP", "help")
	s.AddMessage("#help", "1700000000.000100", "U1", "first")
	s.AddMessage("C0HELP", "1700000000.000200", "U2", "second")
	s.AddReply("C0HELP", "1700000000.000100", "1700000000.000300", "U3", "reply")
	api := NewClient(s)

	// How an adapter fetches one message by ts.
	h, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{
		ChannelID: "C0HELP", Latest: "1700000000.000100", Inclusive: true, Limit: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Messages) != 1 || h.Messages[0].Text != "first" || h.Messages[0].User != "U1" || h.Messages[0].ReplyCount != 1 {
		t.Errorf("history = %+v", h.Messages)
	}
	all, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C0HELP"})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, m := range all.Messages {
		texts = append(texts, m.Text)
	}
	if got, want := strings.Join(texts, ","), "second,first"; got != want {
		t.Errorf("history = %s, want %s (newest first, no replies)", got, want)
	}
	if len(s.Messages("C0HELP")) != 0 {
		t.Errorf("Messages lists others' messages")
	}
}

func TestReactions(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	item := slack.NewRefToMessage("C1", "1700000000.000100")
	if err := api.AddReaction("eyes", item); err != nil {
		t.Fatal(err)
	}
	if err := api.AddReaction("eyes", item); SlackError(err) != "already_reacted" {
		t.Errorf("repeat: %v, want already_reacted", err)
	}
	if got := s.Reactions("C1", "1700000000.000100"); len(got) != 1 || got[0] != "eyes" {
		t.Errorf("reactions = %v", got)
	}
	if err := api.RemoveReaction("eyes", item); err != nil {
		t.Fatal(err)
	}
	if err := api.RemoveReaction("eyes", item); SlackError(err) != "no_reaction" {
		t.Errorf("remove again: %v, want no_reaction", err)
	}
}

func TestViews(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	modal := slack.ModalViewRequest{
		Type:       slack.VTModal,
		Title:      slack.NewTextBlockObject("plain_text", "New request", false, false),
		CallbackID: "ask",
		Blocks:     slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}},
	}
	opened, err := api.OpenView("trigger-1", modal)
	if err != nil {
		t.Fatal(err)
	}
	if opened.ID == "" || opened.Hash == "" || opened.CallbackID != "ask" || opened.Title.Text != "New request" {
		t.Errorf("view = %+v", opened.View)
	}
	c := s.CallsTo("views.open")[0]
	if c.Params.Get("trigger_id") != "trigger-1" || !json.Valid([]byte(c.Params.Get("view"))) {
		t.Errorf("JSON params = %v", c.Params)
	}

	modal.CallbackID = "ask2"
	updated, err := api.UpdateView(modal, "", opened.Hash, opened.ID)
	if err != nil || updated.ID != opened.ID || updated.CallbackID != "ask2" {
		t.Errorf("update: %+v, %v", updated, err)
	}
	if _, err := api.UpdateView(modal, "", opened.Hash, opened.ID); SlackError(err) != "hash_conflict" {
		t.Errorf("stale hash: %v, want hash_conflict", err)
	}
	if _, err := api.UpdateView(modal, "", "", "V404"); SlackError(err) != "not_found" {
		t.Errorf("unknown view: %v, want not_found", err)
	}

	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: modal.Blocks}
	p1, err := api.PublishView("U1", home, "")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := api.PublishView("U1", home, "")
	if err != nil || p1.ID == "" || p2.ID != p1.ID || p2.Type != slack.VTHomeTab {
		t.Errorf("publish: %+v then %+v, %v", p1.View, p2.View, err)
	}
}

func TestUploadFile(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	f, err := api.UploadFile(slack.UploadFileParameters{
		Filename: "report.csv", Content: "a,b\n1,2\n", FileSize: 8, Title: "Report", Channel: "C1",
	})
	if err != nil {
		t.Fatal(err)
	}
	files := s.Files()
	if len(files) != 1 || files[0].ID != f.ID || string(files[0].Content) != "a,b\n1,2\n" || !files[0].Completed || files[0].Channel != "C1" {
		t.Errorf("files = %+v", files)
	}
}

func TestAuth(t *testing.T) {
	s := MustStart(t)

	t.Run("OK", func(t *testing.T) {
		r, err := NewClient(s).AuthTest()
		if err != nil || r.UserID != slacktest.BotUserID || r.TeamID != slacktest.TeamID || r.BotID != slacktest.BotID {
			t.Errorf("auth.test = %+v, %v", r, err)
		}
	})
	t.Run("ErrNotAuthed", func(t *testing.T) {
		_, _, err := slack.New("", slack.OptionAPIURL(s.URL)).PostMessage("C1", slack.MsgOptionText("x", false))
		if SlackError(err) != "not_authed" {
			t.Errorf("error = %v, want not_authed", err)
		}
	})
	t.Run("ErrWrongTokenType", func(t *testing.T) {
		_, _, err := slack.New(appToken, slack.OptionAPIURL(s.URL)).PostMessage("C1", slack.MsgOptionText("x", false))
		if SlackError(err) != "not_allowed_token_type" {
			t.Errorf("error = %v, want not_allowed_token_type", err)
		}
		_, _, err = slack.New(botToken, slack.OptionAPIURL(s.URL), slack.OptionAppLevelToken(botToken)).StartSocketModeContext(Context(t))
		if SlackError(err) != "not_allowed_token_type" {
			t.Errorf("apps.connections.open with a bot token: %v", err)
		}
	})
	t.Run("ErrInvalidAuth", func(t *testing.T) {
		s := MustStart(t, slacktest.WithBotToken(botToken))
		_, _, err := slack.New("xoxb-other", slack.OptionAPIURL(s.URL)).PostMessage("C1", slack.MsgOptionText("x", false))
		if SlackError(err) != "invalid_auth" {
			t.Errorf("error = %v, want invalid_auth", err)
		}
	})
	t.Run("ErrUnknownMethod", func(t *testing.T) {
		resp, err := http.Post(s.URL+"no.such", "application/x-www-form-urlencoded", strings.NewReader("token="+botToken))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"error":"unknown_method"`) {
			t.Errorf("answer = %d %s", resp.StatusCode, body)
		}
	})
}
