// Package config reads askdesk's TOML configuration: the departments, their
// hours, holidays and service targets, the people the bot knows, and the
// settings of the Slack connection, store and schedule.
//
// Loading goes in layers: Default values, then the file (Parse or Load),
// then secrets from the environment (ApplyEnv), then Directory to build the
// domain model. Parse decodes every value as a plain string so that decoding
// only fails on TOML syntax; all meaning is checked afterwards, and every
// problem is reported at once with its file, line and key path.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/askdesk/askdesk/bot"
)

// ReservedWords are the /ask subcommand words. No department name, display
// name, alias or prefix may equal one of them (ignoring case and width), or
// "/ask list" could mean a command or a department. It holds the words of
// bot's command table plus those of planned commands, so that a config
// valid today stays valid when they arrive. Treat it as read-only.
var ReservedWords = reservedWords()

func reservedWords() []string {
	words := bot.CommandWords()
	for _, w := range []string{"help", "depts", "list", "queue", "status", "cancel", "map"} {
		if !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	return words
}

// Config is the configuration file as written, checked by Parse. Durations,
// hours, dates and zones stay strings here; Directory converts them.
type Config struct {
	// Admins are Slack user IDs that may do anything.
	Admins []string `toml:"admins"`
	// DefaultPriority applies when a requester names none: urgent, normal
	// (the default) or low.
	DefaultPriority string `toml:"default_priority"`
	// ReopenWindow is how long after resolution a requester may reopen a
	// request, in calendar time: "14d" (the default) is fourteen days of 24
	// hours, whatever the department's hours and holidays.
	ReopenWindow string `toml:"reopen_window"`
	// Language is the company's default language for what people read:
	// "en" (the default) or "zh-Hans". A department's language, a person's
	// lang and their Slack locale come first.
	Language string `toml:"language"`

	Store    StoreConfig    `toml:"store"`
	Slack    SlackConfig    `toml:"slack"`
	Schedule ScheduleConfig `toml:"schedule"`
	Log      LogConfig      `toml:"log"` // how serve logs (log.go)
	// Reminders is the reminder policy of every department that does not
	// give its own.
	Reminders *RemindersConfig `toml:"reminders"`
	// Ratings is how requesters are asked to rate the service.
	Ratings *RatingsConfig `toml:"ratings"`
	// Retention is how long what people wrote is kept (retention.go).
	Retention *RetentionConfig `toml:"retention"`
	// Catalog says who owns the departments' service standards.
	Catalog CatalogConfig           `toml:"catalog"`
	People  map[string]PersonConfig `toml:"people"` // by Slack user ID
	// Departments come from [[department]] tables, in file order.
	Departments []DepartmentConfig `toml:"department"`

	file string // name for problems, as given to Parse
	pos  *index // key positions in the file; nil for a Config built in code
}

// CatalogConfig says where the service catalogue (each department's
// published standard) is owned: "file" (the [[department]] tables here are
// authoritative and applied as revisions; the default) or "slack" (this
// file seeds the catalogue once; leads edit it in Slack).
type CatalogConfig struct {
	Source string `toml:"source"`
}

// CatalogSource is [catalog] source with its default.
func (c *Config) CatalogSource() string {
	if c.Catalog.Source == "" {
		return "file"
	}
	return c.Catalog.Source
}

// StoreConfig says where askdesk keeps its data.
type StoreConfig struct {
	Path string `toml:"path"` // SQLite file; default "askdesk.db"
	// URL, when set, is a PostgreSQL database (postgres://…) shared by
	// several replicas, used instead of Path; env ASKDESK_DATABASE_URL.
	URL string `toml:"url"`
}

// Database returns where the data lives: the PostgreSQL URL when one is
// set, the SQLite file otherwise.
func (s StoreConfig) Database() string {
	if s.URL != "" {
		return s.URL
	}
	return s.Path
}

// SlackConfig holds the Slack connection. Secrets belong in the environment
// (see ApplyEnv), not in the file. It is not validated yet.
type SlackConfig struct {
	BotToken      string `toml:"bot_token"`      // xoxb-…; env SLACK_BOT_TOKEN
	SigningSecret string `toml:"signing_secret"` // env SLACK_SIGNING_SECRET
	AppToken      string `toml:"app_token"`      // xapp-… for Socket Mode; env SLACK_APP_TOKEN
	APIURL        string `toml:"api_url"`        // Web API base, for tests; "" for Slack's own
	Listen        string `toml:"listen"`         // HTTP address for Events API mode
	// DepartmentField names the Slack profile field that says which
	// department a person is in: a custom field's ID ("Xf0123ABCD"), or
	// "title" for the standard title field. Empty: profiles are not read.
	DepartmentField string `toml:"department_field"`
}

// String hides the secrets, so that logging a Config cannot leak them.
func (s SlackConfig) String() string {
	hide := func(v string) string {
		if v == "" {
			return `""`
		}
		return "[redacted]"
	}
	return fmt.Sprintf("{BotToken:%s SigningSecret:%s AppToken:%s APIURL:%q Listen:%q DepartmentField:%q}",
		hide(s.BotToken), hide(s.SigningSecret), hide(s.AppToken), s.APIURL, s.Listen, s.DepartmentField)
}

// ScheduleConfig times the periodic jobs. The specs are checked at load
// (see CronParser), so a typo fails at start, not at 3 a.m.
type ScheduleConfig struct {
	Timezone string `toml:"timezone"` // IANA zone of the sweep and the org-wide digest; default UTC
	Sweep    string `toml:"sweep"`    // cron spec for the reminder sweep; default "@every 5m"
	// Digest is the weekly digest's cron spec, read in each department's own
	// zone for its channel; default "0 9 * * MON".
	Digest string `toml:"digest"`
	// DigestChannel is the org-wide digest's channel; none when empty.
	DigestChannel string `toml:"digest_channel"`
	// Calendar names the department (name or alias) whose working days
	// the company-wide jobs keep: the quarterly survey goes out on the
	// first of them in a quarter. Empty: Monday to Friday.
	Calendar string `toml:"calendar"`
}

// PersonConfig is what the config says about one Slack user.
type PersonConfig struct {
	Name       string `toml:"name"`       // console handle: "fiona"
	Department string `toml:"department"` // name or alias of their department
	Timezone   string `toml:"timezone"`   // IANA zone; optional
	Lang       string `toml:"lang"`       // language they read: "en", "zh-Hans"; optional
}

// DepartmentConfig is one [[department]] table.
type DepartmentConfig struct {
	Name           string   `toml:"name,omitempty"`         // lower-case identifier: "finance"
	DisplayName    string   `toml:"display_name,omitempty"` // default: Name title-cased
	Aliases        []string `toml:"aliases,omitempty"`      // any Unicode: "fin", "财务"
	Prefix         string   `toml:"prefix,omitempty"`       // 2–6 upper-case letters: "FIN"
	Channel        string   `toml:"channel,omitempty"`      // queue: Slack channel ID or "#name"
	IntakeChannels []string `toml:"intake_channels,omitempty"`
	Leads          []string `toml:"leads,omitempty"`   // Slack user IDs
	Members        []string `toml:"members,omitempty"` // Slack user IDs
	// Usergroup is a Slack user group whose members are the department's
	// members, kept in step with Slack: its ID ("S0123ABCD") or handle
	// ("@finance-team").
	Usergroup   string `toml:"usergroup,omitempty"`
	Description string `toml:"description,omitempty"`
	Timezone    string `toml:"timezone,omitempty"` // IANA zone: "America/New_York"
	// Language is what the department's channel reads and its people's
	// default: "en" or "zh-Hans"; "" is the company's language.
	Language string      `toml:"language,omitempty"`
	Hours    HoursConfig `toml:"hours,omitempty"`
	Holidays []Holiday   `toml:"holidays,omitempty"`
	// Workdays are extra working days: dates normally closed but worked,
	// such as China's make-up working days (调休).
	Workdays []Workday `toml:"workdays,omitempty"`
	SLA      SLAConfig `toml:"sla,omitempty"`
	// Reminders overrides [reminders] for this department.
	Reminders *RemindersConfig `toml:"reminders,omitempty"`
	// RightFirstTime is the quality target: the share of resolved requests
	// closed without a reopen and not rated 1 or 2, as "90%"; "" for none.
	RightFirstTime string `toml:"right_first_time,omitempty"`
	// Satisfaction is the target average rating, 1.0 to 5.0; 0 for none.
	Satisfaction float64 `toml:"satisfaction,omitempty"`
	// Types are the kinds of request it takes ([[department.types]]); none
	// means one implicit type (see types.go).
	Types []TypeConfig `toml:"types,omitempty"`
	// DigestWhenQuiet posts the weekly digest to the department's channel
	// even in a week with nothing filed, open or resolved; by default such
	// a week gets none (the company digest still lists it).
	DigestWhenQuiet bool `toml:"digest_when_quiet,omitempty"`
	// PublicRequests lets anyone in the workspace find and read (not act
	// on) the department's requests that are not private: /ask search,
	// deflection and /ask status. By default only their requesters and
	// the department's staff may.
	PublicRequests bool `toml:"public_requests,omitempty"`
	// Keywords are words people use when they need this department but
	// that its description does not say ("laptop", "vpn"): /ask routes
	// free text by them (bot/route).
	Keywords []string `toml:"keywords,omitempty"`
}

// HoursConfig gives opening hours per weekday as "09:00-17:00" or, with a
// break, "09:00-12:00,13:00-17:00"; "24:00" may end a span. Weekdays covers
// Monday to Friday unless a day is given itself; "closed" closes a day.
type HoursConfig struct {
	Weekdays string `toml:"weekdays,omitempty"`
	Mon      string `toml:"mon,omitempty"`
	Tue      string `toml:"tue,omitempty"`
	Wed      string `toml:"wed,omitempty"`
	Thu      string `toml:"thu,omitempty"`
	Fri      string `toml:"fri,omitempty"`
	Sat      string `toml:"sat,omitempty"`
	Sun      string `toml:"sun,omitempty"`
}

// Holiday is a closed date, written "2026-12-25" or
// { date = "2026-12-25", name = "Christmas Day" }.
type Holiday struct {
	Date string `toml:"date"` // YYYY-MM-DD, in the department's zone
	Name string `toml:"name,omitempty"`
}

// UnmarshalText accepts the plain string form. It never fails: the date is
// checked with everything else, so that its problem has a position.
func (h *Holiday) UnmarshalText(b []byte) error {
	*h = Holiday{Date: string(b)}
	return nil
}

// Workday is an extra working day, written "2026-02-14" or
// { date = "2026-02-14", name = "春节调休 Spring Festival make-up day" },
// worked with Monday's hours unless hours = "09:00-17:00" says otherwise.
type Workday struct {
	Date  string `toml:"date"` // YYYY-MM-DD, in the department's zone
	Name  string `toml:"name,omitempty"`
	Hours string `toml:"hours,omitempty"` // as in [hours]; default Monday's
}

// UnmarshalText accepts the plain string form; the date is checked with
// everything else, so that its problem has a position.
func (w *Workday) UnmarshalText(b []byte) error {
	*w = Workday{Date: string(b)}
	return nil
}

// SLAConfig holds the targets per priority. Normal is required; a request
// of a priority without targets gets normal's.
type SLAConfig struct {
	Urgent *TargetConfig `toml:"urgent,omitempty"`
	Normal *TargetConfig `toml:"normal,omitempty"`
	Low    *TargetConfig `toml:"low,omitempty"`
}

// TargetConfig is one priority's targets: business hours ("30m", "4h"),
// working days ("1wd", or "3d"), both ("1wd4h"), or calendar time ("24h
// calendar"); see bot.ParseBusinessDuration.
type TargetConfig struct {
	FirstResponse string `toml:"first_response,omitempty"`
	Resolution    string `toml:"resolution,omitempty"`
}

// Default returns a config holding the defaults that a file overrides.
func Default() *Config {
	return &Config{
		DefaultPriority: string(bot.Normal),
		ReopenWindow:    "14d",
		Store:           StoreConfig{Path: "askdesk.db"},
		Schedule:        ScheduleConfig{Sweep: DefaultSweep, Digest: DefaultDigest},
	}
}

// Parse reads a config file from r over the defaults and checks it.
// filename only labels problems. It returns Problems, listing everything
// wrong, when the file is unusable, and a plain error when r fails.
func Parse(filename string, r io.Reader) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filename, err)
	}
	c := Default()
	c.file, c.pos = filename, buildIndex(data)

	var probs Problems
	var strict *toml.StrictMissingError
	var de *toml.DecodeError
	err = toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields().Decode(c)
	switch {
	case err == nil:
	// StrictMissingError wraps DecodeErrors, so it must be matched first.
	// Unlike a DecodeError it leaves the rest of the file decoded.
	case errors.As(err, &strict):
		probs = c.pos.unknownKeys(filename, strict)
	case errors.As(err, &de):
		return nil, Problems{c.pos.decodeProblem(filename, de)}
	default:
		return nil, fmt.Errorf("decode %s: %w", filename, err)
	}

	_, r2 := c.build()
	if probs = append(probs, r2.probs...); len(probs) > 0 {
		return nil, probs.sorted()
	}
	return c, nil
}

// Load reads and checks the config file at path; see Parse.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open config: %w", err)
	}
	defer f.Close()
	return Parse(path, f)
}

// ApplyEnv overrides the Slack secrets with SLACK_BOT_TOKEN,
// SLACK_SIGNING_SECRET and SLACK_APP_TOKEN, [store] url with
// ASKDESK_DATABASE_URL (it may hold a password), and [log] with
// ASKDESK_LOG_FORMAT and ASKDESK_LOG_LEVEL, where getenv returns them
// non-empty. Pass os.Getenv; tests pass a map lookup.
func (c *Config) ApplyEnv(getenv func(string) string) {
	for _, v := range []struct {
		env string
		dst *string
	}{
		{"SLACK_BOT_TOKEN", &c.Slack.BotToken},
		{"SLACK_SIGNING_SECRET", &c.Slack.SigningSecret},
		{"SLACK_APP_TOKEN", &c.Slack.AppToken},
		{"ASKDESK_DATABASE_URL", &c.Store.URL},
	} {
		if s := getenv(v.env); s != "" {
			*v.dst = s
		}
	}
	c.applyLogEnv(getenv)
}

// Validate checks c, for a Config built or changed in code. It returns
// Problems, or nil when c is usable.
func (c *Config) Validate() error {
	if _, r := c.build(); len(r.probs) > 0 {
		return r.probs.sorted()
	}
	return nil
}

// Directory builds the company model from c, indexed and ready for lookups.
// Each call returns a fresh Directory. It returns Problems when c is not
// valid.
func (c *Config) Directory() (*bot.Directory, error) {
	dir, r := c.build()
	if len(r.probs) > 0 {
		return nil, r.probs.sorted()
	}
	dir.Index()
	return dir, nil
}
