package bot

import (
	"errors"
	"fmt"
	"strings"

	"github.com/askdesk/askdesk/bot/i18n"
)

// Error codes. A user sees the Message of a coded error; anything else is
// reported to them as an internal error and logged in full.
const (
	EINVALID   = "invalid"   // the input is malformed or breaks a rule
	ENOTFOUND  = "not_found" // the thing asked for does not exist
	EFORBIDDEN = "forbidden" // the actor may not do this
	ECONFLICT  = "conflict"  // the request changed state under us, or the move is not allowed from its state
	EINTERNAL  = "internal"  // a bug or an outage; never shown in detail
)

// Error is the one error type whose message is safe and useful to show a user.
type Error struct {
	Code    string
	Message string

	// key and args, when set (E), say Message as a catalogue message, so
	// ErrorText renders it in the reader's language.
	key  string
	args []any
}

func (e *Error) Error() string { return fmt.Sprintf("askdesk %s: %s", e.Code, e.Message) } //i18n:ok for logs

// Errorf returns a coded error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// E returns a coded error whose message is the catalogue message key with
// kv as its arguments. Its Message (and Error) is the English rendering, for
// logs and errors.As callers; ErrorText renders it in the reader's language.
// An argument made with Sub is a catalogue message too, rendered in the
// same language.
func E(code, key string, kv ...any) *Error {
	return &Error{Code: code, Message: errorRender(nil, key, kv), key: key, args: kv}
}

// Sub is a catalogue message passed as an argument of E, so that a part of
// an error (an action, a role) is said in the reader's language as well.
type Sub struct {
	Key  string
	Args []any
}

// S makes a Sub.
func S(key string, kv ...any) Sub { return Sub{Key: key, Args: kv} }

// List is a list passed as an argument of E: its items (text, or a Sub or
// an *Error said in the reader's language) joined by the catalogue message Sep, so
// that the separator is the reader's too (", " in English, "、" in
// Chinese).
type List struct {
	Sep   string // a catalogue key
	Items []any
}

func errorRender(p *i18n.Printer, key string, kv []any) string {
	args := make([]any, len(kv))
	for i, v := range kv {
		args[i] = errorArg(p, v)
	}
	return p.T(key, args...)
}

func errorArg(p *i18n.Printer, v any) any {
	switch v := v.(type) {
	case Sub:
		return errorRender(p, v.Key, v.Args)
	case List:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = fmt.Sprint(errorArg(p, it))
		}
		return strings.Join(items, p.T(v.Sep))
	case *Error:
		return ErrorText(p, v)
	case deptWord:
		if p.Tag() == i18n.ZhHans && v.display != "" {
			return v.display
		}
		return v.name
	}
	return v
}

// deptWord is a department as an argument of E: its display name to a
// reader of Chinese (“IT部”), its name to others, as DepartmentIn offers
// them.
type deptWord struct{ name, display string }

// deptArg says the department named name as an argument of E.
func (d *Desk) deptArg(name string) deptWord {
	w := deptWord{name: name}
	if dep := d.Dir().ByName(name); dep != nil {
		w.display = dep.DisplayName
	}
	return w
}

// ErrorCode returns the code of a coded error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the text to show a user for err: the message of a coded
// error, or a generic apology for anything else (in English).
func ErrorMessage(err error) string { return ErrorText(nil, err) }

// ErrorText is ErrorMessage for a reader of p (nil: English): the apology
// is said in p's language.
func ErrorText(p *i18n.Printer, err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.key != "" {
			return errorRender(p, e.key, e.args)
		}
		return e.Message
	}
	return p.T("err.internal")
}
