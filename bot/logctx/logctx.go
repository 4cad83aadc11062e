// Package logctx carries log attributes in a context, so that every line
// logged while handling one Slack request carries its slack_id, and every
// line of a background job its job, however deep the call that logs it and
// whichever *slog.Logger it holds. Code adds attributes with With; the
// handler that cmd/ builds once wraps its output handler in Handler, which
// adds them to each record logged with that context (the ...Context
// methods of slog.Logger).
package logctx

import (
	"context"
	"log/slog"
)

type key struct{}

// With returns a context whose log lines carry attrs after those ctx
// already carries. An attribute whose key ctx carries already replaces it.
func With(ctx context.Context, attrs ...slog.Attr) context.Context {
	prev := Attrs(ctx)
	all := make([]slog.Attr, 0, len(prev)+len(attrs))
outer:
	for _, p := range prev {
		for _, a := range attrs {
			if a.Key == p.Key {
				continue outer
			}
		}
		all = append(all, p)
	}
	all = append(all, attrs...)
	return context.WithValue(ctx, key{}, all)
}

// Attrs returns the attributes ctx carries for the log; nil when none. The
// slice must not be modified.
func Attrs(ctx context.Context) []slog.Attr {
	if ctx == nil {
		return nil
	}
	attrs, _ := ctx.Value(key{}).([]slog.Attr)
	return attrs
}

// Carry returns dst with the log attributes of src, for work that outlives
// the request it belongs to: it keeps the request's slack_id but not its
// deadline or cancellation.
func Carry(dst, src context.Context) context.Context {
	attrs := Attrs(src)
	if len(attrs) == 0 {
		return dst
	}
	return With(dst, attrs...)
}

// Handler returns a handler that adds the attributes of each record's
// context to it, except those whose key the record has already, then
// passes it to h.
func Handler(h slog.Handler) slog.Handler { return handler{h} }

type handler struct{ next slog.Handler }

func (h handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	attrs := Attrs(ctx)
	if len(attrs) == 0 {
		return h.next.Handle(ctx, r)
	}
	var have map[string]bool
	r.Attrs(func(a slog.Attr) bool {
		for _, c := range attrs {
			if c.Key == a.Key {
				if have == nil {
					have = map[string]bool{}
				}
				have[a.Key] = true
			}
		}
		return true
	})
	// The context's attributes go first, so slack_id leads the line.
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	for _, a := range attrs {
		if !have[a.Key] {
			out.AddAttrs(a)
		}
	}
	r.Attrs(func(a slog.Attr) bool { out.AddAttrs(a); return true })
	return h.next.Handle(ctx, out)
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler { return handler{h.next.WithAttrs(attrs)} }

func (h handler) WithGroup(name string) slog.Handler { return handler{h.next.WithGroup(name)} }
