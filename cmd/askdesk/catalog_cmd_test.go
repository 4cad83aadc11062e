package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

// TestCatalogCommands: with source "file", askdesk catalog apply prints what
// changed in the file and publishes it as a revision (--dry-run only
// prints); log lists the revisions, show one revision's changes, export
// the catalogue as [[department]] tables that check-config accepts.
func TestCatalogCommands(t *testing.T) {
	dir := t.TempDir()
	file, db := filepath.Join(dir, "askdesk.toml"), filepath.Join(dir, "askdesk.db")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cli := func(args ...string) (int, string, string) {
		t.Helper()
		return run(t, "", append(args, "--config", file, "--db", db)...)
	}
	write(testConfig)
	if code, out, errOut := cli("catalog", "log"); code != 0 || !strings.Contains(out, "no revisions yet") {
		t.Fatalf("log of an empty catalogue: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := cli("catalog", "apply"); code != 0 || !strings.Contains(out, "nothing to publish") {
		t.Fatalf("apply of an unchanged file: %d %q %q", code, out, errOut)
	}
	write(strings.Replace(testConfig, `sla.normal = { first_response = "4h", resolution = "2d" }`, `sla.normal = { first_response = "2h", resolution = "2d" }`, 1))
	code, out, errOut := cli("catalog", "apply", "--dry-run")
	if code != 0 || !strings.Contains(out, "finance: revision 2\n  ~ sla.normal.first_response: '4h' → '2h'\n") || !strings.Contains(out, "Dry run") {
		t.Fatalf("apply --dry-run: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := cli("catalog", "apply", "--reason", "answers within two hours"); code != 0 || !strings.Contains(out, "Published 1 revision") {
		t.Fatalf("apply: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli("catalog", "log", "--dept", "fin")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 2 || !strings.Contains(lines[0], "r2") || !strings.Contains(lines[0], "answers within two hours") {
		t.Fatalf("log --dept fin: %d %q", code, out)
	}
	if code, out, _ := cli("catalog", "show", "finance", "2"); code != 0 || !strings.Contains(out, "~ sla.normal.first_response: '4h' → '2h'") {
		t.Fatalf("show finance 2: %d %q", code, out)
	}
	code, out, errOut = cli("catalog", "export")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	head := testConfig[:strings.Index(testConfig, "[[department]]")]
	cfg, err := config.Parse("exported", strings.NewReader(head+out))
	if err != nil {
		t.Fatalf("the export with the file's other keys does not check out: %v\n%s", err, out)
	}
	if len(cfg.Departments) != 2 || cfg.Departments[0].SLA.Normal.FirstResponse != "2h" {
		t.Fatalf("exported departments: %+v", cfg.Departments)
	}

	write(testConfig + "\n[catalog]\nsource = \"slack\"\n")
	if code, _, errOut := cli("catalog", "apply"); code == 0 || !strings.Contains(errOut, "edited in Slack") {
		t.Fatalf("apply with source slack: %d %q", code, errOut)
	}
}

// TestHangupAppliesTheFile: serve with source "file" applies the config
// file's changed departments on SIGHUP, in force without a restart.
func TestHangupAppliesTheFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "askdesk.toml")
	if err := os.WriteFile(file, []byte(testConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	handled := make(chan struct{}, 1)
	h := newHarness(t, false, func(o *serverOptions) {
		cfg, err := config.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		o.Config, o.ConfigFile, o.afterHangup = cfg, file, func() { handled <- struct{}{} }
	})
	if got := h.srv.desk.Dir().ByName("it").Target("normal").Resolution.String(); got != "1d" {
		t.Fatalf("IT's resolution target at start: %s", got)
	}
	changed := strings.Replace(testConfig, `sla.normal = { first_response = "2h", resolution = "1d" }`, `sla.normal = { first_response = "2h", resolution = "2d" }`, 1)
	if err := os.WriteFile(file, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-handled:
	case <-waitCtx(t).Done():
		t.Fatal("SIGHUP was not handled")
	}
	if got := h.srv.desk.Dir().ByName("it").Target("normal").Resolution.String(); got != "2d" {
		t.Fatalf("IT's resolution target after SIGHUP: %s, want 2d", got)
	}
	if n := h.count("catalog_revisions"); n != 3 {
		t.Fatalf("%d revisions, want 3 (two seeded, IT's change)", n)
	}
}
