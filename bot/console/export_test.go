package console

import "github.com/askdesk/askdesk/bot"

// Actions exposes the verbs of desk acts to the tests.
func Actions() map[string]bot.Action { return actions }

// AdvanceWords exposes how :advance says how far it moved the clock.
var AdvanceWords = advanceWords
