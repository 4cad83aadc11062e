package slackapp

import "testing"

func TestAPIMethod(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/api/chat.postMessage", "chat.postMessage"},
		{"/slack/api/views.open", "views.open"},
		{"/upload/v1/F123", "upload"},
		{"/api/", "other"},
		{"/api/chat.postMessage/../../x y", "other"},
	} {
		if got := apiMethod(tc.path); got != tc.want {
			t.Errorf("apiMethod(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestSlackError(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"ok":true,"channel":"C1","ts":"1.2"}`, ""},
		{`{"ok":false,"error":"channel_not_found"}`, "channel_not_found"},
		{`{"ok":false}`, "unknown"},
		{`{"ok":true,"message":{"text":"\"ok\":false"}}`, ""},
		{`not json "ok":false`, ""},
	} {
		if got := slackError([]byte(tc.body)); got != tc.want {
			t.Errorf("slackError(%s) = %q, want %q", tc.body, got, tc.want)
		}
	}
}
