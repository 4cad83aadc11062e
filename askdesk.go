// Package askdesk holds what the binary takes from the repository root: the
// example configs, embedded so that "askdesk console" works with no files.
package askdesk

import (
	_ "embed"
	"runtime/debug"
)

// ExampleConfig is config.example.toml: a whole, commented company.
//
//go:embed config.example.toml
var ExampleConfig []byte

// ExampleConfigZh is config.example.zh.toml: a company in Shanghai, its
// departments, types and routing words in Chinese, on China's public
// holidays and make-up working days (调休).
//
//go:embed config.example.zh.toml
var ExampleConfigZh []byte

// version is set by the linker for releases:
// go build -ldflags "-X github.com/askdesk/askdesk.version=v1.0.0" ./cmd/askdesk
var version = ""

// Version returns the release version, or the VCS revision the binary was
// built from, or "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" && dirty {
			return "dev-" + rev + "-dirty"
		}
		if rev != "" {
			return "dev-" + rev
		}
	}
	return "dev"
}
