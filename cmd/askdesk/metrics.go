package main

import (
	"log/slog"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/metrics"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/store"
)

var (
	_ bot.Observer      = (*metrics.Metrics)(nil)
	_ slackapp.Observer = (*metrics.Metrics)(nil)
)

// newMetrics makes serve's metrics, read from db at scrape time; every
// department shows every state, zeros included.
func newMetrics(db *store.DB, dir func() *bot.Directory, clock bot.Clock, log *slog.Logger) *metrics.Metrics {
	o := metrics.Options{Store: db, Now: clock.Now, Log: log.With("component", "metrics"), Version: askdesk.Version(),
		Departments: func() []string { return dir().Names() }}
	for _, s := range bot.AllStates {
		o.States = append(o.States, string(s))
	}
	return metrics.New(o)
}
