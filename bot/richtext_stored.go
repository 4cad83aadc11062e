package bot

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Outbox rows hold messages as JSON, and rows queued before the desk had
// its own text form hold Slack mrkdwn (entities, <@U…>). A message whose
// text could differ between the two forms (it holds '&', '<', '>' or a
// token) is stored with "form": 1; one without it is read as mrkdwn and
// brought into the desk's form, which for text without those characters
// changes nothing. A row queued in mrkdwn therefore renders as before, and
// user text stored in the new form is never read as markup.
const storedForm = 1

// storedMessage is Message without its JSON methods.
type storedMessage Message

// MarshalJSON encodes m, marking it as the desk's form where it matters.
func (m Message) MarshalJSON() ([]byte, error) {
	v := struct {
		storedMessage
		Form int `json:"form,omitempty"`
	}{storedMessage: storedMessage(m)}
	if formMatters(m.Text) || formMatters(m.Change) {
		v.Form = storedForm
	}
	return json.Marshal(v)
}

// UnmarshalJSON decodes a stored message, bringing one queued as mrkdwn
// into the desk's form.
func (m *Message) UnmarshalJSON(b []byte) error {
	var v struct {
		storedMessage
		Form int `json:"form"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = Message(v.storedMessage)
	if v.Form != storedForm {
		m.Text, m.Change = fromMrkdwn(m.Text), fromMrkdwn(m.Change)
	}
	return nil
}

func formMatters(s string) bool {
	return strings.ContainsAny(s, "&<>") || strings.IndexFunc(s, isTokenRune) >= 0
}

// mrkdwnPart matches what the desk used to write in mrkdwn: a mention, a
// channel, a link, an entity.
var mrkdwnPart = regexp.MustCompile(`<@([A-Z0-9]+)>|<#([A-Z0-9]+)>|<([^<>|@#][^<>|]*)\|([^<>]*)>|&(amp|lt|gt);`)

// fromMrkdwn reads mrkdwn the desk wrote into the desk's form. Such text
// held user text only escaped, so every reference in it is the desk's own.
func fromMrkdwn(s string) string {
	if !strings.ContainsAny(s, "&<") {
		return s
	}
	return mrkdwnPart.ReplaceAllStringFunc(s, func(p string) string {
		g := mrkdwnPart.FindStringSubmatch(p)
		switch {
		case g[1] != "":
			return string(mentionRune) + g[1] + string(tokenEnd)
		case g[2] != "":
			return string(channelRune) + g[2] + string(tokenEnd)
		case g[3] != "":
			return Link(unentity(g[3]), unentity(g[4]))
		}
		return unentity(p)
	})
}

var unentity = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace
