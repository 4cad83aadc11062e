// Command askdesk runs internal customer service between departments: in
// Slack (serve) or in a terminal (console), with reports, digests, exports
// and maintenance commands beside them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // department calendars must work on hosts without zoneinfo

	"github.com/askdesk/askdesk/bot/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Run(ctx, os.Args[1:], Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}

// Env is what the program takes from its surroundings, so tests can run the
// whole program in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// StdinIsTerminal reports whether a person is typing; nil asks the OS.
	StdinIsTerminal func() bool
}

// Run runs askdesk with args (without the program name) and returns the exit
// code.
func Run(ctx context.Context, args []string, env Env) int {
	root := newRoot(ctx, env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		var ec exitCode
		if asExit(err, &ec) {
			return int(ec)
		}
		fmt.Fprintf(env.Stderr, "askdesk: %v\n", err)
		if errors.Is(err, report.ErrKeptCounts) {
			fmt.Fprintln(env.Stderr, "askdesk: run `askdesk report rebuild` to work the report figures out again from the requests")
		}
		return 1
	}
	return 0
}

// exitCode ends a command with a code after it printed its own message.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func asExit(err error, target *exitCode) bool {
	e, ok := err.(exitCode)
	if ok {
		*target = e
	}
	return ok
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
