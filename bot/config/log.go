package config

import (
	"fmt"
	"log/slog"
	"strings"
)

// LogConfig is [log]: how serve writes its log, on standard error.
type LogConfig struct {
	// Format is "text" (the default: key=value lines) or "json" (one
	// object a line, for a log collector). Env ASKDESK_LOG_FORMAT.
	Format string `toml:"format"`
	// Level is the least severe level written: "debug", "info" (the
	// default), "warn" or "error". Env ASKDESK_LOG_LEVEL.
	Level string `toml:"level"`

	formatEnv, levelEnv bool // set by the environment, for problems
}

// Log formats.
const (
	LogText = "text"
	LogJSON = "json"
)

// JSON reports whether lines are JSON objects.
func (l LogConfig) JSON() bool { return strings.EqualFold(strings.TrimSpace(l.Format), LogJSON) }

// SlogLevel returns the level; Info for "" or a level that the checks
// reject.
func (l LogConfig) SlogLevel() slog.Level {
	lv, _ := logLevel(l.Level)
	return lv
}

func logLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, true
	case "", "info":
		return slog.LevelInfo, true
	case "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return slog.LevelInfo, false
}

// applyLogEnv overrides [log] with ASKDESK_LOG_FORMAT and ASKDESK_LOG_LEVEL
// where getenv returns them non-empty.
func (c *Config) applyLogEnv(getenv func(string) string) {
	if s := getenv("ASKDESK_LOG_FORMAT"); s != "" {
		c.Log.Format, c.Log.formatEnv = s, true
	}
	if s := getenv("ASKDESK_LOG_LEVEL"); s != "" {
		c.Log.Level, c.Log.levelEnv = s, true
	}
}

// checkLog validates [log].
func checkLog(r *reporter, l LogConfig) {
	from := func(env bool, name string) string {
		if env {
			return fmt.Sprintf(" (from %s)", name)
		}
		return ""
	}
	switch strings.ToLower(strings.TrimSpace(l.Format)) {
	case "", LogText, LogJSON:
	default:
		r.addf("log.format", "%q%s is not a log format: use %q or %q", l.Format, from(l.formatEnv, "ASKDESK_LOG_FORMAT"), LogText, LogJSON)
	}
	if _, ok := logLevel(l.Level); !ok {
		r.addf("log.level", "%q%s is not a log level: use debug, info, warn or error", l.Level, from(l.levelEnv, "ASKDESK_LOG_LEVEL"))
	}
}
