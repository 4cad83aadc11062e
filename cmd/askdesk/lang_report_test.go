package main

import (
	"regexp"
	"strings"
	"testing"
)

// englishWord is an ASCII word of three or more letters, which a Chinese
// report may hold only where the company or a person wrote it.
var englishWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// checkNoEnglish fails on an English word in zh output other than allowed
// (department names, request titles, zone names the config or a person
// wrote, request IDs, SLA).
func checkNoEnglish(t *testing.T, out string, allowed ...string) {
	t.Helper()
	ok := map[string]bool{"SLA": true}
	for _, a := range allowed {
		ok[a] = true
	}
	for _, w := range englishWord.FindAllString(out, -1) {
		if !ok[w] {
			t.Errorf("English word %q in the Chinese output:\n%s", w, out)
			return
		}
	}
}

// TestDigestCommandInChinese: askdesk digest --lang zh-Hans prints
// Finance's week 47 in Chinese (the golden read by a Chinese reader), with
// the same figures as the English TestDigestCommand.
func TestDigestCommandInChinese(t *testing.T) {
	db := digestDB(t)
	code, out, errOut := run(t, "", "digest", "--db", db, "--now", digestNow, "--week", "2026-W47", "--dept", "fin", "--lang", "zh-Hans")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkGolden(t, "digest.zh-Hans.golden", out)
	if !strings.HasPrefix(out, "*每周摘要 · Finance · 2026年第47周*\n") {
		t.Errorf("heading:\n%s", out)
	}
	checkNoEnglish(t, out, "Finance", "FIN", "America", "New", "York", "reimburse", "taxi", "channel")
}
