// Package catalog is the service catalogue: each department's published
// service standard (what it serves, its targets, hours, holidays, team and
// queue), kept in the database as revisions with who, when and why. It
// builds the desk's directory from the catalogue in force and puts a new
// one in force whenever a standard changes, on every replica.
//
// Who owns the standards is the operator's choice ([catalog] source): the
// config file ("file": its [[department]] tables are applied as new
// revisions; edits in Slack are refused) or the departments ("slack": the
// file seeds the catalogue once; leads and admins edit it in Slack).
package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/i18n"
)

// Who owns the standards.
const (
	FromFile  = "file"
	FromSlack = "slack"
)

// Store is what the catalogue keeps in the database (store.DB).
type Store interface {
	CatalogRevisions(ctx context.Context, dept string) ([]bot.StandardRevision, error)
	CatalogHead(ctx context.Context) (int64, error)
	PublishStandards(ctx context.Context, revs []bot.StandardRevision, msgs []bot.Message) error
}

// Options configure a catalogue.
type Options struct {
	// Config is the config file: everything but the departments always
	// comes from it, and the departments too when Source is "file".
	Config *config.Config
	// File names the config file in messages ("askdesk.toml"); empty, they
	// say "the config file".
	File   string
	Source string // FromFile or FromSlack
	Store  Store
	Clock  bot.Clock
	Log    *slog.Logger
	// Apply puts a new directory in force (the desk's SetDir).
	Apply func(*bot.Directory)
	// ReadOnly opens the catalogue to read it (reports, exports): an empty
	// one is not seeded, and the file's departments stand in for it.
	ReadOnly bool
}

// Languages says in which language a person, and a department's channel,
// read what the catalogue tells them; bot.Desk implements it.
type Languages interface {
	Printer(user string, dep *bot.Department) *i18n.Printer
	ChannelPrinter(dep *bot.Department) *i18n.Printer
}

// Catalog is the service catalogue of one process. It is safe for
// concurrent use.
type Catalog struct {
	o Options

	langMu sync.Mutex
	langs  Languages // nil: English

	mu     sync.Mutex
	head   int64                           // latest revision ID loaded
	latest map[string]bot.StandardRevision // by department
	order  []string                        // departments in order of first publication
	built  map[string]*bot.Department      // "dept/rev" → that revision, built once
	dir    *bot.Directory
}

// Open loads the catalogue, first publishing the file's departments when
// the catalogue is empty (either source), and puts its directory in force.
// With source "file", the caller then applies the file (ApplyFile), so
// that what changed is printed or logged.
func Open(ctx context.Context, o Options) (*Catalog, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Source == "" {
		o.Source = FromFile
	}
	c := &Catalog{o: o, built: map[string]*bot.Department{}}
	head, err := o.Store.CatalogHead(ctx)
	if err != nil {
		return nil, err
	}
	if head == 0 && o.ReadOnly {
		dir, err := o.Config.Directory()
		if err != nil {
			return nil, err
		}
		c.dir = dir
		return c, nil
	}
	if head == 0 {
		if _, err := c.publishFile(ctx, o.Config, bot.FirstPublishedReason(c.file()), false); err != nil {
			return nil, err
		}
	}
	if err := c.load(ctx); err != nil {
		return nil, err
	}
	if o.Source == FromSlack {
		if diff, err := c.fileDiff(o.Config); err == nil && len(diff) > 0 {
			o.Log.InfoContext(ctx, "the config file's departments differ from the service catalogue; the catalogue is in force because [catalog] source is \"slack\" (askdesk catalog export writes it as TOML)", "departments", len(diff))
		}
	}
	return c, nil
}

// SetLanguages makes the form, its problems and the notes of a change speak
// each reader's language (the desk, made after the catalogue); until then,
// English.
func (c *Catalog) SetLanguages(l Languages) {
	c.langMu.Lock()
	defer c.langMu.Unlock()
	c.langs = l
}

// printer is the language user reads, dep's people's when unknown.
func (c *Catalog) printer(user string, dep *bot.Department) *i18n.Printer {
	c.langMu.Lock()
	l := c.langs
	c.langMu.Unlock()
	if l == nil {
		return nil
	}
	return l.Printer(user, dep)
}

// channelPrinter is the language of dep's channel.
func (c *Catalog) channelPrinter(dep *bot.Department) *i18n.Printer {
	c.langMu.Lock()
	l := c.langs
	c.langMu.Unlock()
	if l == nil {
		return nil
	}
	return l.ChannelPrinter(dep)
}

// file names the config file for its operator (logs, askdesk catalog).
func (c *Catalog) file() string {
	if c.o.File == "" {
		return "the config file" //i18n:ok operator: config file diagnostics, English like the config keys
	}
	return c.o.File
}

// fileSub names the config file in an error, in its reader's words.
func (c *Catalog) fileSub() bot.Sub {
	if c.o.File == "" {
		return bot.S("catalog.config_file")
	}
	return bot.S("catalog.file_named", "File", c.o.File)
}

// Owner implements bot.Catalogue.
func (c *Catalog) Owner() string { return c.o.Source }

// Directory returns the directory in force.
func (c *Catalog) Directory() *bot.Directory {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dir
}

// Reload puts the catalogue's latest revisions in force if another process
// (a replica, askdesk catalog apply) published since the last load. It
// reports whether anything changed.
func (c *Catalog) Reload(ctx context.Context) (bool, error) {
	head, err := c.o.Store.CatalogHead(ctx)
	if err != nil {
		return false, err
	}
	c.mu.Lock()
	same := head == c.head
	c.mu.Unlock()
	if same {
		return false, nil
	}
	return true, c.load(ctx)
}

// Run reloads the catalogue every so often until ctx ends, so a change
// published on one replica is in force on all within that time.
func (c *Catalog) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if changed, err := c.Reload(ctx); err != nil && ctx.Err() == nil {
				c.o.Log.ErrorContext(ctx, "service catalogue: reload failed; the standards loaded before stay in force", "err", err)
			} else if changed {
				c.o.Log.InfoContext(ctx, "service catalogue: a change published elsewhere is now in force")
			}
		}
	}
}

// load reads every revision and builds the directory of the latest ones,
// with the earlier ones kept for the requests filed under them.
func (c *Catalog) load(ctx context.Context) error {
	revs, err := c.o.Store.CatalogRevisions(ctx, "")
	if err != nil {
		return err
	}
	latest := map[string]bot.StandardRevision{}
	var order []string
	var head int64
	for _, r := range revs {
		if _, seen := latest[r.Dept]; !seen {
			order = append(order, r.Dept)
		}
		latest[r.Dept] = r
		head = max(head, r.ID)
	}
	deps := make([]config.DepartmentConfig, len(order))
	for i, name := range order {
		if deps[i], err = config.ParseDepartment(latest[name].Body); err != nil {
			return fmt.Errorf("service catalogue: %s revision %d: %w", name, latest[name].Rev, err)
		}
	}
	dir, err := c.o.Config.WithDepartments(deps).Directory()
	if err != nil {
		return fmt.Errorf("service catalogue: the standards in force do not check out with %s:\n%w", c.file(), err)
	}
	for _, dep := range dir.Departments {
		dep.Revision, dep.RevisedAt = latest[dep.Name].Rev, latest[dep.Name].At
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range revs {
		if r.Rev == latest[r.Dept].Rev {
			continue
		}
		key := fmt.Sprintf("%s/%d", r.Dept, r.Rev)
		dep := c.built[key]
		if dep == nil {
			dc, err := config.ParseDepartment(r.Body)
			if err == nil {
				dep, err = c.o.Config.BuildDepartment(dc)
			}
			if err != nil {
				// An old revision that no longer builds (a zone since
				// removed from the system): its requests use today's.
				c.o.Log.WarnContext(ctx, "service catalogue: an earlier revision does not build; its requests use the current standard", "dept", r.Dept, "revision", r.Rev, "err", err)
				continue
			}
			dep.Revision, dep.RevisedAt = r.Rev, r.At
			c.built[key] = dep
		}
		dir.AddStandard(dep)
	}
	c.head, c.latest, c.order, c.dir = head, latest, order, dir
	if c.o.Apply != nil {
		c.o.Apply(dir)
	}
	return nil
}

// current returns the departments in force as written, in order.
func (c *Catalog) current() ([]config.DepartmentConfig, map[string]bot.StandardRevision, error) {
	c.mu.Lock()
	order, latest := slices.Clone(c.order), c.latest
	c.mu.Unlock()
	deps := make([]config.DepartmentConfig, len(order))
	for i, name := range order {
		var err error
		if deps[i], err = config.ParseDepartment(latest[name].Body); err != nil {
			return nil, nil, fmt.Errorf("service catalogue: %s: %w", name, err)
		}
	}
	return deps, latest, nil
}

// Published is one department's new revision with what it changed.
type Published struct {
	Dept    string
	Rev     int
	New     bool // the department was not in the catalogue before
	Changes []bot.StandardChange
}

// fileDiff compares the file's departments with the catalogue's.
func (c *Catalog) fileDiff(file *config.Config) ([]Published, error) {
	cur, latest, err := c.current()
	if err != nil {
		return nil, err
	}
	byName := map[string]config.DepartmentConfig{}
	for _, d := range cur {
		byName[d.Name] = d
	}
	var out []Published
	inFile := map[string]bool{}
	for _, d := range file.Departments {
		inFile[d.Name] = true
		after, err := config.Flatten(d)
		if err != nil {
			return nil, err
		}
		before := map[string]string{}
		old, had := byName[d.Name]
		if had {
			if before, err = config.Flatten(old); err != nil {
				return nil, err
			}
		}
		if ch := config.Diff(before, after); len(ch) > 0 {
			out = append(out, Published{Dept: d.Name, Rev: latest[d.Name].Rev + 1, New: !had, Changes: ch})
		}
	}
	for _, d := range cur {
		if !inFile[d.Name] {
			return out, bot.Errorf(bot.EINVALID, "department %q is in the service catalogue but not in %s: askdesk does not remove a department (its requests would have nowhere to go); put its [[department]] table back", d.Name, c.file()) //i18n:ok operator: config file diagnostics for askdesk catalog apply and SIGHUP, English like the config keys
		}
	}
	return out, nil
}

// ApplyFile publishes the departments of file that differ from the
// catalogue as new revisions (unless dryRun) and returns what changed. It
// is how the file's owner updates the catalogue: askdesk catalog apply, or
// SIGHUP to serve. file must have passed check-config.
func (c *Catalog) ApplyFile(ctx context.Context, file *config.Config, reason string, dryRun bool) ([]Published, error) {
	if c.o.Source != FromFile {
		return nil, bot.Errorf(bot.EINVALID, "the service catalogue is edited in Slack ([catalog] source = \"slack\"), so %s's departments are not applied; set source = \"file\" to keep the standards in the file", c.file()) //i18n:ok operator: config file diagnostics for askdesk catalog apply and SIGHUP, English like the config keys
	}
	if reason == "" {
		reason = bot.FileChangedReason(c.file())
	}
	out, err := c.publishFile(ctx, file, reason, dryRun)
	if err != nil || dryRun {
		return out, err
	}
	return out, c.load(ctx)
}

func (c *Catalog) publishFile(ctx context.Context, file *config.Config, reason string, dryRun bool) ([]Published, error) {
	diff, err := c.fileDiff(file)
	if err != nil || dryRun || len(diff) == 0 {
		return diff, err
	}
	now := time.UnixMilli(c.o.Clock.Now().UnixMilli()).UTC()
	var revs []bot.StandardRevision
	for _, p := range diff {
		i := slices.IndexFunc(file.Departments, func(d config.DepartmentConfig) bool { return d.Name == p.Dept })
		body, err := config.MarshalDepartment(file.Departments[i])
		if err != nil {
			return nil, err
		}
		revs = append(revs, bot.StandardRevision{Dept: p.Dept, Rev: p.Rev, At: now, Source: FromFile, Reason: reason, Body: body})
	}
	if err := c.o.Store.PublishStandards(ctx, revs, nil); err != nil {
		return nil, err
	}
	return diff, nil
}

// History implements bot.Catalogue.
func (c *Catalog) History(ctx context.Context, dept string) ([]bot.StandardRevision, error) {
	dep, err := c.Directory().Department(dept)
	if err != nil {
		return nil, err
	}
	return c.o.Store.CatalogRevisions(ctx, dep.Name)
}

// Compare implements bot.Catalogue.
func (c *Catalog) Compare(ctx context.Context, dept string, rev int) (bot.StandardRevision, []bot.StandardChange, error) {
	revs, err := c.History(ctx, dept)
	if err != nil {
		return bot.StandardRevision{}, nil, err
	}
	i := slices.IndexFunc(revs, func(r bot.StandardRevision) bool { return r.Rev == rev })
	if i < 0 {
		name := dept
		if dep := c.Directory().Lookup(dept); dep != nil {
			name = bot.Escape(dep.DisplayName)
		}
		if len(revs) == 1 {
			return bot.StandardRevision{}, nil, bot.E(bot.ENOTFOUND, "catalog.err.only_revision", "Dept", name, "Rev", rev)
		}
		return bot.StandardRevision{}, nil, bot.E(bot.ENOTFOUND, "catalog.err.no_revision", "Dept", name, "Rev", rev, "N", len(revs))
	}
	after, err := flattenBody(revs[i].Body)
	if err != nil {
		return revs[i], nil, err
	}
	before := map[string]string{}
	if i > 0 {
		if before, err = flattenBody(revs[i-1].Body); err != nil {
			return revs[i], nil, err
		}
	}
	return revs[i], config.Diff(before, after), nil
}

func flattenBody(body string) (map[string]string, error) {
	d, err := config.ParseDepartment(body)
	if err != nil {
		return nil, err
	}
	return config.Flatten(d)
}

// Export returns the catalogue in force as the departments of a config
// file, for askdesk catalog export.
func (c *Catalog) Export() ([]config.DepartmentConfig, error) {
	deps, _, err := c.current()
	return deps, err
}
