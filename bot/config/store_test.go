package config_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

func TestStoreConfig(t *testing.T) {
	const pg = "postgres://askdesk:s3cret@db.internal:5432/askdesk"
	for _, c := range []struct {
		name, src string
		env       map[string]string
		want      string
	}{
		{"DefaultFile", "", nil, "askdesk.db"},
		{"File", "[store]\npath = \"/var/lib/askdesk/a.db\"\n", nil, "/var/lib/askdesk/a.db"},
		{"URLWinsOverPath", "[store]\npath = \"a.db\"\nurl = \"postgresql://db/askdesk\"\n", nil, "postgresql://db/askdesk"},
		{"EnvURL", "", map[string]string{"ASKDESK_DATABASE_URL": pg}, pg},
		{"EnvWinsOverFile", "[store]\nurl = \"postgres://file/askdesk\"\n", map[string]string{"ASKDESK_DATABASE_URL": pg}, pg},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse("ok.toml", strings.NewReader(c.src+minimalDepartment))
			if err != nil {
				t.Fatal(err)
			}
			cfg.ApplyEnv(func(k string) string { return c.env[k] })
			if got := cfg.Store.Database(); got != c.want {
				t.Errorf("Database() = %q, want %q", got, c.want)
			}
			if err := cfg.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestStoreConfig_Problems(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      string
	}{
		{"NotPostgres", "[store]\nurl = \"mysql://root:hunter2@db/askdesk\"\n",
			`bad.toml:2: store.url: want a PostgreSQL URL starting with postgres://`},
		{"NeitherPathNorURL", "[store]\npath = \" \"\n",
			`bad.toml:2: store.path: required: the SQLite file, such as "askdesk.db" (or set store.url to a PostgreSQL URL)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.Parse("bad.toml", strings.NewReader(c.src+minimalDepartment))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got problems:\n%v\nwant one containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the problem shows the URL's password: %v", err)
			}
		})
	}
}
