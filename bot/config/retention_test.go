package config_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
)

func TestRetentionConfig(t *testing.T) {
	const day = 24 * time.Hour
	for _, c := range []struct {
		name, src string
		want      time.Duration
	}{
		{"Absent", "", 0},
		{"EmptyTable", "[retention]\n", 0},
		{"Off", "[retention]\nredact_after = \"off\"\n", 0},
		{"Blank", "[retention]\nredact_after = \" \"\n", 0}, // like a missing key
		{"Year", "[retention]\nredact_after = \"365d\"\n", 365 * day},
		{"DaysAndHours", "[retention]\nredact_after = \"30d12h\"\n", 30*day + 12*time.Hour},
		{"AtReopenWindow", "reopen_window = \"20d\"\n[retention]\nredact_after = \"20d\"\n", 20 * day},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse("ok.toml", strings.NewReader(c.src+minimalDepartment))
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.RedactAfter(); got != c.want {
				t.Errorf("RedactAfter() = %v, want %v", got, c.want)
			}
		})
	}
}

func TestRetentionConfig_Problems(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      string // the problem, with its line
	}{
		{"NoUnit", "[retention]\nredact_after = \"365\"\n",
			`bad.toml:2: retention.redact_after: bad duration "365"`},
		{"BadUnit", "\n[retention]\nredact_after = \"1y\"\n",
			`bad.toml:3: retention.redact_after: bad duration "1y": unit 'y' is not wd, d, h or m`},
		{"Zero", "[retention]\nredact_after = \"0d\"\n",
			`bad.toml:2: retention.redact_after: "0d" is zero`},
		{"ShorterThanReopenWindow", "[retention]\nredact_after = \"7d\"\n",
			`bad.toml:2: retention.redact_after: "7d" is shorter than reopen_window "14d"`},
		{"ShorterThanRatingWindow", "reopen_window = \"1d\"\n[ratings]\nwindow = \"10d\"\n[retention]\nredact_after = \"9d\"\n",
			`bad.toml:5: retention.redact_after: "9d" is shorter than ratings.window "10d"`},
		{"PurgeIsNotAKey", "[retention]\npurge_after = \"730d\"\n",
			`bad.toml:2: retention.purge_after: unknown key`},
		{"NotAString", "[retention]\nredact_after = 365\n",
			`bad.toml:2: retention.redact_after: cannot decode TOML integer`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := config.Parse("bad.toml", strings.NewReader(c.src+minimalDepartment))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got problems:\n%v\nwant one containing %q", err, c.want)
			}
		})
	}
}

// TestRetentionExample checks the example's commented-out policy: once
// uncommented, it must be valid and mean a year.
func TestRetentionExample(t *testing.T) {
	src, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	const line = `# redact_after = "365d"`
	if !strings.Contains(string(src), "[retention]\n") || !strings.Contains(string(src), line) {
		t.Fatalf("the example lacks [retention] with %s", line)
	}
	on := strings.Replace(string(src), line, strings.TrimPrefix(line, "# "), 1)
	cfg, err := config.Parse("config.example.toml", strings.NewReader(on))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.RedactAfter(), 365*24*time.Hour; got != want {
		t.Errorf("RedactAfter() = %v, want %v", got, want)
	}
}
