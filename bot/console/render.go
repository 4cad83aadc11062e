package console

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/askdesk/askdesk/bot"
)

// Send prints a message with its destination, as bot.Chat.
func (c *Console) Send(_ context.Context, m bot.Message) error {
	p := c.p()
	var dest string
	switch {
	case m.DM:
		dest = p.T("console.dest.dm", "Name", c.Desk.Dir().Name(m.To))
	case m.CardFor != "":
		dest = p.T("console.dest.card", "Channel", m.To, "ID", m.CardFor)
	default:
		dest = m.To
	}
	if m.ThreadOf != "" && m.CardFor == "" {
		dest = p.T("console.dest.thread", "Dest", dest, "ID", m.ThreadOf)
	}
	if m.File != nil {
		// A terminal shows no pictures: the file is saved and its path shown.
		path := filepath.Join(c.FileDir, m.File.Name)
		if err := os.WriteFile(path, m.File.Data, 0o644); err != nil {
			m.Text += "\n" + p.T("console.dest.file_failed", "Title", m.File.Title, "Error", err.Error())
		} else {
			m.Text += "\n" + p.T("console.dest.file_saved", "Title", m.File.Title, "Path", path)
		}
	}
	c.show(m, dest)
	return nil
}

// show prints m under a header naming where it went.
func (c *Console) show(m bot.Message, dest string) {
	p := c.p()
	var b strings.Builder
	fmt.Fprintf(&b, "  ┌ %s\n", dest)
	for _, line := range strings.Split(c.plain(m.Text), "\n") {
		fmt.Fprintf(&b, "  │ %s\n", line)
	}
	if len(m.Reactions) > 0 {
		glyphs := make([]string, len(m.Reactions))
		for i, r := range m.Reactions {
			glyphs[i] = bot.Glyph(r)
		}
		fmt.Fprintf(&b, "  │ %s\n", p.T("console.dest.reactions", "Glyphs", strings.Join(glyphs, " ")))
	}
	if len(m.Buttons) > 0 {
		parts := make([]string, len(m.Buttons))
		for i, btn := range m.Buttons {
			cmd := ":" + verbFor(btn.Action) + " " + btn.RequestID
			if btn.Action == bot.ActSearch {
				parts[i] = "[/ask search " + btn.Arg + "]" //i18n:ok a command to type
				continue
			}
			if btn.Action == bot.ActSurvey {
				parts[i] = p.T("console.button.survey", "Quarter", btn.Arg)
				continue
			}
			if btn.Action == bot.ActRoute {
				arg := btn.Arg
				if arg == "" {
					arg = p.T("console.button.dept")
				}
				parts[i] = "[:route " + btn.RequestID + " " + arg + "]" //i18n:ok a command to type
				continue
			}
			if btn.Action == bot.ActSaveAnswer {
				parts[i] = "[:saveanswer " + btn.RequestID + "]" //i18n:ok a command to type
				continue
			}
			if btn.Action == bot.ActUnsaveAnswer {
				parts[i] = "[:unsaveanswer " + btn.RequestID + "]" //i18n:ok a command to type
				continue
			}
			if btn.Action == bot.ActAnswered {
				parts[i] = "[:answered " + btn.RequestID + " " + btn.Arg + "]" //i18n:ok a command to type
				continue
			}
			if btn.Action == bot.ActRate {
				parts[i] = "[:react " + btn.RequestID + " " + btn.Label + "]" //i18n:ok a command to type
				continue
			}
			switch btn.Arg {
			case "text":
				if btn.Action == bot.ActReply || btn.Action == bot.ActComment {
					cmd += p.T("console.button.text")
				} else {
					cmd += p.T("console.button.note")
				}
			case "user":
				cmd += p.T("console.button.user")
			case "dept":
				cmd += p.T("console.button.to_dept")
			}
			parts[i] = "[" + cmd + "]"
		}
		fmt.Fprintf(&b, "  └ %s\n", strings.Join(parts, " "))
	} else {
		b.WriteString("  └\n")
	}
	c.printf("%s", b.String())
}

// plain renders the desk's text (see bot/richtext.go) for a terminal.
func (c *Console) plain(s string) string { return Plain(c.Desk.Dir(), s) }

// Plain renders the desk's text for a terminal: characters as they are, a
// person as @name from dir, a channel as Slack writes it, a link as
// <url|text>.
func Plain(dir *bot.Directory, s string) string {
	return bot.Renderer{
		Text:    func(s string, _ bool) string { return s },
		Mention: func(user string) string { return "@" + dir.Name(user) },
		Channel: func(id string) string { return "<#" + id + ">" },
		Link:    func(url, text string) string { return "<" + url + "|" + text + ">" },
	}.Render(s)
}

func (c *Console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.Out, format, args...)
}
