package bot

import (
	"context"
	"fmt"
	"github.com/askdesk/askdesk/bot/i18n"
	"strings"
	"time"
)

// SurveyAnswer is one person's quarterly verdict on one department.
type SurveyAnswer struct {
	Quarter    string // "2026-Q3"
	Requester  string
	Dept       string
	AskedAt    time.Time
	Score      int // 1–5; 0 until answered
	Comment    string
	AnsweredAt time.Time
}

// Surveys is what the quarterly survey needs from storage.
type Surveys interface {
	Customers(ctx context.Context, from, to time.Time) (map[string][]string, error)
	AskSurvey(ctx context.Context, quarter, user string, depts []string, msg Message, at time.Time) (bool, error)
	AnswerSurvey(ctx context.Context, quarter, user, dept string, score int, comment string, at time.Time) (bool, error)
	SurveyResults(ctx context.Context, quarter string) ([]SurveyAnswer, error)
}

// Quarter is a calendar quarter, "2026-Q3".
type Quarter struct{ Year, Q int }

func (q Quarter) String() string { return fmt.Sprintf("%04d-Q%d", q.Year, q.Q) }

// QuarterOf returns the quarter t falls in, in loc.
func QuarterOf(t time.Time, loc *time.Location) Quarter {
	t = t.In(loc)
	return Quarter{t.Year(), (int(t.Month())-1)/3 + 1}
}

// Range returns the quarter's first instant and the next quarter's, in loc.
func (q Quarter) Range(loc *time.Location) (from, to time.Time) {
	from = time.Date(q.Year, time.Month((q.Q-1)*3+1), 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 3, 0)
}

// Prev returns the quarter before.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{q.Year - 1, 4}
	}
	return Quarter{q.Year, q.Q - 1}
}

// ParseQuarter reads "2026-Q3".
func ParseQuarter(s string) (Quarter, error) {
	var q Quarter
	if _, err := fmt.Sscanf(strings.ToUpper(strings.TrimSpace(s)), "%d-Q%d", &q.Year, &q.Q); err != nil || q.Q < 1 || q.Q > 4 || q.String() != strings.ToUpper(strings.TrimSpace(s)) {
		return Quarter{}, E(EINVALID, "survey.bad_quarter", "Text", Escape(s))
	}
	return q, nil
}

// IsSurveyDay reports whether t is on the day the survey of the quarter
// before goes out: the first working day of t's quarter in loc, on cal's
// working days (Monday to Friday when cal is nil).
func IsSurveyDay(t time.Time, loc *time.Location, cal *Calendar) bool {
	return firstBusinessDay(t, loc, cal)
}

// firstBusinessDay reports whether t is on the survey's day: the first
// working day of its quarter, the dates read in loc. A working day is one
// cal opens on, so its holidays are skipped and its extra working days
// (China's make-up days, a Saturday or Sunday) count; with no calendar it
// is the first weekday, Monday to Friday. A quarter cal never opens in has
// no survey day.
func firstBusinessDay(t time.Time, loc *time.Location, cal *Calendar) bool {
	from, to := QuarterOf(t, loc).Range(loc)
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if !workingDate(d, cal) {
			continue
		}
		y, m, day := t.In(loc).Date()
		dy, dm, dd := d.Date()
		return y == dy && m == dm && day == dd
	}
	return false
}

// workingDate reports whether the date of d (in d's zone) is a working day
// of cal, or a weekday when cal is nil.
func workingDate(d time.Time, cal *Calendar) bool {
	if cal == nil {
		return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
	}
	return len(cal.OpenOn(d.Date())) > 0
}

// SurveyIfDue runs the survey of the quarter just ended when now is the
// first working day of a quarter in loc (on cal's working days; Monday to
// Friday when cal is nil); otherwise it does nothing. The schedule calls it
// every day, so a day missed is not made up.
func (d *Desk) SurveyIfDue(ctx context.Context, s Surveys, loc *time.Location, cal *Calendar) (int, error) {
	now := d.Now()
	if !firstBusinessDay(now, loc, cal) {
		return 0, nil
	}
	return d.RunSurvey(ctx, s, QuarterOf(now, loc).Prev(), loc)
}

// RunSurvey asks everyone who filed requests in q how each department they
// used served them: one DM per person listing their departments, once per
// quarter whatever restarts happen. It returns how many were asked.
func (d *Desk) RunSurvey(ctx context.Context, s Surveys, q Quarter, loc *time.Location) (int, error) {
	from, to := q.Range(loc)
	customers, err := s.Customers(ctx, from, to)
	if err != nil {
		return 0, err
	}
	now := d.Now()
	asked := 0
	for user, depts := range customers {
		var names []string
		var buttons []Button
		for _, name := range depts {
			dep := d.Dir().ByName(name)
			if dep == nil {
				continue
			}
			names = append(names, Escape(dep.DisplayName))
		}
		if len(names) == 0 {
			continue
		}
		p := d.Printer(user, nil)
		buttons = append(buttons, Button{Label: p.T("survey.button"), Action: ActSurvey, Arg: q.String()})
		msg := Message{To: user, DM: true, Buttons: buttons, Lang: p.Lang(), Text: p.T("survey.ask",
			"Quarter", QuarterText(p, q), "Depts", joinAndIn(p, names))}
		ok, err := s.AskSurvey(ctx, q.String(), user, depts, msg, now)
		if err != nil {
			return asked, err
		}
		if ok {
			asked++
		}
	}
	if asked > 0 {
		d.Notify()
	}
	return asked, nil
}

// AnswerSurvey records user's rating of dept (a name or alias) for the

// AnswerSurvey records user's rating of dept (a name or alias) for the
// quarter q ("2026-Q3").
func (d *Desk) AnswerSurvey(ctx context.Context, s Surveys, user, quarter, dept string, score int, comment string) error {
	if err := CheckUser(user); err != nil {
		return err
	}
	q, err := ParseQuarter(quarter)
	if err != nil {
		return err
	}
	dep, err := d.Dir().DepartmentIn(d.Printer(user, nil), dept)
	if err != nil {
		return err
	}
	if score < 1 || score > 5 {
		return Errorf(EINVALID, "%s", d.Printer(user, nil).T("survey.bad_score"))
	}
	ok, err := s.AnswerSurvey(ctx, q.String(), user, dep.Name, score, strings.TrimSpace(CleanText(comment)), d.Now())
	if err != nil {
		return err
	}
	if !ok {
		p := d.Printer(user, dep)
		return Errorf(ENOTFOUND, "%s", p.T("survey.not_asked", "Dept", Escape(dep.DisplayName), "Quarter", QuarterText(p, q)))
	}
	return nil
}

// joinAndIn is joinAnd for a reader of p: "a, b and c", “a、b和c”.
func joinAndIn(p *i18n.Printer, ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	return strings.Join(ss[:len(ss)-1], p.T("survey.list_sep")) + p.T("survey.and") + ss[len(ss)-1]
}

// QuarterText is a quarter as a reader of p reads it: 2026-Q3, 2026年第3季度.
func QuarterText(p *i18n.Printer, q Quarter) string {
	return p.T("survey.quarter", "Year", q.Year, "Q", q.Q)
}
