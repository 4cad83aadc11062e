// Package i18n holds askdesk's message catalogue: the words people read, in
// every language askdesk speaks (English and Simplified Chinese), and the
// Printer that renders them, with dates, spans and percentages in the
// reader's language. It does not import bot; bot asks it for a Printer.
//
// Catalogue files are TOML, embedded from locales/<surface>.<tag>.toml: one
// pair per surface, so work on one surface never edits another's file.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var locales embed.FS

// The languages askdesk speaks.
var (
	En     = language.English
	ZhHans = language.MustParse("zh-Hans")
)

// supported is every language with a catalogue, English first (the
// fallback).
var supported = []language.Tag{En, ZhHans}

// Catalogue is every message in every supported language. It is built once
// (Load) and read-only afterwards; its Printers are built with it.
type Catalogue struct {
	bundle   *goi18n.Bundle
	printers map[language.Tag]*Printer
}

// Load reads the embedded catalogue files (locales/*.toml).
func Load() (*Catalogue, error) { return load(locales) }

func load(fsys fs.FS) (*Catalogue, error) {
	b := goi18n.NewBundle(En)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(fsys, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		buf, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		f, err := b.ParseMessageFileBytes(buf, path.Base(n))
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", n, err)
		}
		if !isSupported(f.Tag) {
			return nil, fmt.Errorf("catalogue %s: language %s has no place in the supported list", n, f.Tag)
		}
	}
	c := &Catalogue{bundle: b, printers: map[language.Tag]*Printer{}}
	parser := &template.TextParser{Option: "missingkey=error"}
	for _, t := range supported {
		c.printers[t] = &Printer{tag: t, l: goi18n.NewLocalizer(b, t.String(), En.String()), parser: parser}
	}
	return c, nil
}

func isSupported(t language.Tag) bool {
	for _, s := range supported {
		if s == t {
			return true
		}
	}
	return false
}

// Default is the embedded catalogue, loaded once. It panics if the embedded
// files do not parse, which the package's tests rule out.
var Default = sync.OnceValue(func() *Catalogue {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
})

// English is the English printer of the embedded catalogue, for code that
// has no catalogue of its own (a zero Desk, tests).
func English() *Printer { return Default().For(En) }

// Supported lists the languages with a catalogue, English first.
func (c *Catalogue) Supported() []language.Tag { return append([]language.Tag(nil), supported...) }

// SupportedNames lists the supported tags as written in config: "en, zh-Hans".
func SupportedNames() string {
	names := make([]string, len(supported))
	for i, t := range supported {
		names[i] = t.String()
	}
	return strings.Join(names, ", ")
}

// For returns the printer of tag, or the English one when tag has no
// catalogue. Printers are built once, with the catalogue.
func (c *Catalogue) For(tag language.Tag) *Printer {
	if c == nil {
		return English()
	}
	if p, ok := c.printers[tag]; ok {
		return p
	}
	return c.printers[En]
}

// Printer returns the printer for a locale as Slack or config writes it
// ("zh-CN", "en_US"), and false when askdesk does not speak it.
func (c *Catalogue) Printer(locale string) (*Printer, bool) {
	t, ok := Match(locale)
	if !ok {
		return nil, false
	}
	return c.For(t), true
}

// Match is the package-level Match: the supported set is fixed by the
// embedded catalogue.
func (c *Catalogue) Match(locale string) (language.Tag, bool) { return Match(locale) }

// Match maps a locale as Slack or a config file writes it ("en-US",
// "zh-CN", "zh_TW", "zh-Hans") to a supported language: any English to en,
// any Chinese to zh-Hans. Traditional Chinese (zh-TW, zh-HK, zh-Hant) also
// reads zh-Hans until a zh-Hant catalogue exists: Simplified is closer to
// them than English. Anything else (or nonsense) is not ok, so the caller
// falls back to the next source (a department's or the company's language)
// rather than jumping to English.
func Match(locale string) (language.Tag, bool) {
	s := strings.TrimSpace(strings.ReplaceAll(locale, "_", "-"))
	if s == "" {
		return language.Und, false
	}
	t, err := language.Parse(s)
	if err != nil {
		return language.Und, false
	}
	base, conf := t.Base()
	if conf == language.No {
		return language.Und, false
	}
	switch base.String() {
	case "en":
		return En, true
	case "zh":
		return ZhHans, true
	}
	return language.Und, false
}

// Printer renders catalogue messages and formats in one language. A nil
// *Printer prints English.
type Printer struct {
	tag    language.Tag
	l      *goi18n.Localizer
	parser template.Parser
}

func (p *Printer) self() *Printer {
	if p == nil {
		return English()
	}
	return p
}

// Tag is the printer's language.
func (p *Printer) Tag() language.Tag { return p.self().tag }

// Lang is the printer's language as config and Message.Lang write it:
// "en", "zh-Hans".
func (p *Printer) Lang() string { return p.self().tag.String() }

// T renders the message key with kv as name/value pairs ("Who", name, …).
// A message that cannot be rendered (an unknown key, a missing or odd
// argument: never "<no value>") comes out as "{key}", so the slip shows
// rather than reads as a sentence; Text returns the error instead. The
// catalogue tests render every key.
func (p *Printer) T(key string, kv ...any) string {
	s, err := p.Text(key, kv...)
	if err != nil {
		return "{" + key + "}"
	}
	return s
}

// N is T for a message with plural forms, chosen by count (en: one and
// other; zh: other). The count is also the template's {{.N}} unless kv
// names N itself.
func (p *Printer) N(key string, count int, kv ...any) string {
	s, err := p.NText(key, count, kv...)
	if err != nil {
		return "{" + key + "}"
	}
	return s
}

// Text is T that reports what went wrong.
func (p *Printer) Text(key string, kv ...any) (string, error) {
	return p.self().localize(key, nil, kv)
}

// NText is N that reports what went wrong.
func (p *Printer) NText(key string, count int, kv ...any) (string, error) {
	return p.self().localize(key, count, kv)
}

func (p *Printer) localize(key string, count any, kv []any) (string, error) {
	if len(kv)%2 != 0 {
		return "", fmt.Errorf("message %q: odd number of arguments", key)
	}
	data := make(map[string]any, len(kv)/2+1)
	for i := 0; i < len(kv); i += 2 {
		name, ok := kv[i].(string)
		if !ok {
			return "", fmt.Errorf("message %q: argument name %v is not a string", key, kv[i])
		}
		data[name] = kv[i+1]
	}
	if count != nil {
		if _, set := data["N"]; !set {
			data["N"] = count
		}
	}
	s, err := p.l.Localize(&goi18n.LocalizeConfig{
		MessageID:      key,
		TemplateData:   data,
		PluralCount:    count,
		TemplateParser: p.parser,
	})
	if err != nil {
		var nf *goi18n.MessageNotFoundErr
		if errors.As(err, &nf) && s != "" {
			// Found in the fallback language only: the parity test
			// keeps this from happening.
			return s, nil
		}
		return "", fmt.Errorf("message %q: %w", key, err)
	}
	return s, nil
}
