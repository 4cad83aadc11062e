package report

import (
	"github.com/askdesk/askdesk/bot"

	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ReportCSVColumns are the columns of the report's CSV, in order: one row
// per department and priority ("all" first), then the company ("all",
// "all"). Counts are as in the figures; times are whole seconds of
// business time, empty when there was nothing to time.
var ReportCSVColumns = []string{
	"period", "prev_period", "dept", "priority", "zone", "from", "to",
	"first_response_target", "resolution_target",
	"new", "resolved", "open", "overdue",
	"first_responses_due", "first_responses_met", "first_response_pct", "first_response_median_s", "first_response_p90_s",
	"resolutions_met", "resolution_pct", "resolution_median_s", "resolution_p90_s",
	"reopened",
	"csat_asked", "csat_rated", "csat_avg", "csat_1", "csat_2", "csat_3", "csat_4", "csat_5",
	"survey_quarters", "survey_asked", "survey_answered", "survey_avg",
	"prev_new", "prev_resolved", "prev_first_responses_due", "prev_first_responses_met",
	"prev_resolutions_met", "prev_reopened", "prev_csat_rated", "prev_csat_avg",
	"right_first_time", "right_first_time_pct", "right_first_time_target_pct", "satisfaction_target", "prev_right_first_time",
}

func (r *Report) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(ReportCSVColumns)
	sections := append([]*DeptReport{}, r.Depts...)
	if r.Company != nil {
		sections = append(sections, r.Company)
	}
	for _, d := range sections {
		name := "all"
		if d.Dept != nil {
			name = d.Dept.Name
		}
		base := []string{r.Period.String(), r.Prev.String(), name}
		row := append(base, "all", d.Zone.String(), rfc3339(d.From), rfc3339(d.To), "", "")
		row = append(row, figureCells(d.Figures, true)...)
		row = append(row, strconv.Itoa(d.Reopened))
		row = append(row, scoreCells(d.CSAT, true)...)
		row = append(row, strings.Join(d.SurveyQuarters, " "))
		row = append(row, scoreCells(d.Survey, false)...)
		pf := d.PrevFigures
		pavg := scoreCells(d.PrevCSAT, false)
		row = append(row, itoas(pf.New, pf.Resolved, pf.FirstResponses, pf.FirstResponsesMet, pf.ResolutionsMet, d.PrevReopened)...)
		row = append(row, pavg[1], pavg[2])
		var q bot.QualityTarget
		if d.Standard != nil {
			q = d.standard().Quality
		}
		row = append(row, strconv.Itoa(d.Figures.RightFirstTime), pctCell(d.Figures.RightFirstTime, d.Figures.Resolved),
			floatCell(q.RightFirstTime), floatCell(q.Satisfaction), strconv.Itoa(pf.RightFirstTime))
		cw.Write(row)
		for _, p := range d.ByPriority {
			row := append(base[:3:3], string(p.Priority), d.Zone.String(), rfc3339(d.From), rfc3339(d.To),
				p.Target.FirstResponse.String(), p.Target.Resolution.String())
			row = append(row, figureCells(p.Figures, false)...)
			cw.Write(append(row, make([]string, len(ReportCSVColumns)-len(row))...))
		}
	}
	cw.Flush()
	return cw.Error()
}

// figureCells are new … resolution_p90_s; open and overdue empty unless
// withOpen.
func figureCells(f Figures, withOpen bool) []string {
	open, overdue := "", ""
	if withOpen {
		open, overdue = strconv.Itoa(f.Open), strconv.Itoa(f.Overdue)
	}
	out := []string{strconv.Itoa(f.New), strconv.Itoa(f.Resolved), open, overdue,
		strconv.Itoa(f.FirstResponses), strconv.Itoa(f.FirstResponsesMet), pctCell(f.FirstResponsesMet, f.FirstResponses)}
	out = append(out, spreadCells(f.FirstResponseTime)...)
	out = append(out, strconv.Itoa(f.ResolutionsMet), pctCell(f.ResolutionsMet, f.Resolved))
	return append(out, spreadCells(f.ResolutionTime)...)
}

// floatCell is a target, empty when none is published (zero).
func floatCell(x float64) string {
	if x == 0 {
		return ""
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func spreadCells(s Spread) []string {
	if s.N == 0 {
		return []string{"", ""}
	}
	return []string{seconds(s.Median), seconds(s.P90)}
}

func seconds(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }

// pctCell is a share in whole percent, rounded down as the text does.
func pctCell(n, of int) string {
	if of == 0 {
		return ""
	}
	return strconv.Itoa(n * 100 / of)
}

// scoreCells are asked, answered, average and, with dist, the five counts.
func scoreCells(s Scores, dist bool) []string {
	avg := ""
	if a, ok := s.Average(); ok {
		avg = strconv.FormatFloat(a, 'f', 2, 64)
	}
	out := []string{strconv.Itoa(s.Asked), strconv.Itoa(s.Answered), avg}
	if dist {
		out = append(out, itoas(s.Dist[:]...)...)
	}
	return out
}

func itoas(ns ...int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return out
}

// rfc3339 is the export's and the report's time format: UTC, milliseconds.
func rfc3339(t time.Time) string { return string(appendTime(make([]byte, 0, len(TimeFormat)), t)) }

// TimeFormat is how exports and reports write instants: RFC 3339 in UTC
// with milliseconds, the store's precision.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// The report as JSON: stable snake_case keys, times in RFC 3339 UTC,
// durations in seconds of business time (null when there was nothing to
// time), averages null when nobody answered.
type (
	reportJSON struct {
		Period     string `json:"period"`
		FirstDate  string `json:"first_date"`
		LastDate   string `json:"last_date"`
		PrevPeriod string `json:"prev_period"`
		// RightFirstTimeRule says what right_first_time counts.
		RightFirstTimeRule string           `json:"right_first_time_rule"`
		Departments        []deptReportJSON `json:"departments"`
		Company            *deptReportJSON  `json:"company,omitempty"`
		Recognition        *recognitionJSON `json:"recognition,omitempty"`
	}
	deptReportJSON struct {
		Dept           string         `json:"dept"`
		Name           string         `json:"name"`
		Zone           string         `json:"zone"`
		From           string         `json:"from"`
		To             string         `json:"to"`
		At             string         `json:"at"`
		Standards      []standardJSON `json:"standards,omitempty"`
		QualityTarget  *qualityJSON   `json:"quality_target,omitempty"`
		Figures        figuresJSON    `json:"figures"`
		PrevFigures    figuresJSON    `json:"prev_figures"`
		Reopened       int            `json:"reopened"`
		PrevReopened   int            `json:"prev_reopened"`
		CSAT           scoresJSON     `json:"csat"`
		PrevCSAT       scoresJSON     `json:"prev_csat"`
		SurveyQuarters []string       `json:"survey_quarters"`
		Survey         scoresJSON     `json:"survey"`
		PrevSurvey     scoresJSON     `json:"prev_survey"`
		People         []personJSON   `json:"best_people"`

		// Questions earlier answers settled without a request; left out
		// when none.
		SelfServed     int `json:"self_served,omitempty"`
		PrevSelfServed int `json:"prev_self_served,omitempty"`
	}
	standardJSON struct {
		Priority            string      `json:"priority"`
		FirstResponseTarget string      `json:"first_response_target"`
		ResolutionTarget    string      `json:"resolution_target"`
		Figures             figuresJSON `json:"figures"`
	}
	figuresJSON struct {
		New                  int    `json:"new"`
		Received             int    `json:"received_by_transfer,omitempty"`
		PassedOn             int    `json:"passed_on_by_transfer,omitempty"`
		Resolved             int    `json:"resolved"`
		Open                 int    `json:"open"`
		Overdue              int    `json:"overdue"`
		FirstResponsesDue    int    `json:"first_responses_due"`
		FirstResponsesMet    int    `json:"first_responses_met"`
		FirstResponseMedianS *int64 `json:"first_response_median_s"`
		FirstResponseP90S    *int64 `json:"first_response_p90_s"`
		ResolutionsMet       int    `json:"resolutions_met"`
		RightFirstTime       int    `json:"right_first_time"`
		ResolutionMedianS    *int64 `json:"resolution_median_s"`
		ResolutionP90S       *int64 `json:"resolution_p90_s"`
	}
	scoresJSON struct {
		Asked        int      `json:"asked"`
		Answered     int      `json:"answered"`
		Average      *float64 `json:"average"`
		Distribution [5]int   `json:"distribution"`
	}
	personJSON struct {
		User           string `json:"user"`
		Name           string `json:"name"`
		Resolved       int    `json:"resolved"`
		Met            int    `json:"met"`
		RightFirstTime int    `json:"right_first_time"`
	}
	// qualityJSON is a department's published quality target; a key is
	// null when that target is not published.
	qualityJSON struct {
		RightFirstTimePct *float64 `json:"right_first_time_pct"`
		Satisfaction      *float64 `json:"satisfaction"`
	}
	recognitionJSON struct {
		MinDeptResolved   int          `json:"min_dept_resolved"`
		MinPersonResolved int          `json:"min_person_resolved"`
		Departments       []string     `json:"departments"`
		People            []personJSON `json:"people"`
		Rule              string       `json:"rule"`
	}
)

func (r *Report) writeJSON(w io.Writer, dir *bot.Directory) error {
	out := reportJSON{Period: r.Period.String(), FirstDate: dateText(r.Period.First), LastDate: dateText(r.Period.Last),
		PrevPeriod: r.Prev.String(), RightFirstTimeRule: bot.RightFirstTimeRule, Departments: []deptReportJSON{}}
	for _, d := range r.Depts {
		out.Departments = append(out.Departments, d.json(dir))
	}
	if r.Company != nil {
		c := r.Company.json(dir)
		out.Company = &c
		rec := &recognitionJSON{MinDeptResolved: r.MinDeptResolved, MinPersonResolved: r.MinPersonResolved,
			Departments: []string{}, People: peopleJSON(r.BestPeople, dir),
			// JSON is for programs: its keys and rule stay English.
			Rule: fmt.Sprintf("departments: %s; people: %s", deptRule(nil, r.MinDeptResolved), personRule(nil, r.MinPersonResolved))} //i18n:ok report JSON: a stable interface, in English
		for _, d := range r.BestDepts {
			rec.Departments = append(rec.Departments, d.Dept.Name)
		}
		out.Recognition = rec
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func (d *DeptReport) json(dir *bot.Directory) deptReportJSON {
	out := deptReportJSON{Dept: "all", Name: plainLabel(d.Dept), Zone: d.Zone.String(),
		From: rfc3339(d.From), To: rfc3339(d.To), At: rfc3339(d.At),
		Figures: figuresToJSON(d.Figures), PrevFigures: figuresToJSON(d.PrevFigures),
		Reopened: d.Reopened, PrevReopened: d.PrevReopened,
		SelfServed: d.SelfServed, PrevSelfServed: d.PrevSelfServed,
		CSAT: scoresToJSON(d.CSAT), PrevCSAT: scoresToJSON(d.PrevCSAT),
		SurveyQuarters: append([]string{}, d.SurveyQuarters...),
		Survey:         scoresToJSON(d.Survey), PrevSurvey: scoresToJSON(d.PrevSurvey),
		People: peopleJSON(d.People, dir)}
	if d.Dept != nil {
		out.Dept = d.Dept.Name
		out.QualityTarget = &qualityJSON{RightFirstTimePct: nonZero(d.standard().Quality.RightFirstTime), Satisfaction: nonZero(d.standard().Quality.Satisfaction)}
	}
	for _, p := range d.ByPriority {
		out.Standards = append(out.Standards, standardJSON{Priority: string(p.Priority),
			FirstResponseTarget: p.Target.FirstResponse.String(), ResolutionTarget: p.Target.Resolution.String(),
			Figures: figuresToJSON(p.Figures)})
	}
	return out
}

func figuresToJSON(f Figures) figuresJSON {
	secs := func(n int, d time.Duration) *int64 {
		if n == 0 {
			return nil
		}
		s := int64(d / time.Second)
		return &s
	}
	return figuresJSON{New: f.New, Received: f.Received, PassedOn: f.PassedOn, Resolved: f.Resolved, Open: f.Open, Overdue: f.Overdue,
		FirstResponsesDue: f.FirstResponses, FirstResponsesMet: f.FirstResponsesMet,
		FirstResponseMedianS: secs(f.FirstResponseTime.N, f.FirstResponseTime.Median),
		FirstResponseP90S:    secs(f.FirstResponseTime.N, f.FirstResponseTime.P90),
		ResolutionsMet:       f.ResolutionsMet,
		RightFirstTime:       f.RightFirstTime,
		ResolutionMedianS:    secs(f.ResolutionTime.N, f.ResolutionTime.Median),
		ResolutionP90S:       secs(f.ResolutionTime.N, f.ResolutionTime.P90)}
}

func scoresToJSON(s Scores) scoresJSON {
	out := scoresJSON{Asked: s.Asked, Answered: s.Answered, Distribution: s.Dist}
	if a, ok := s.Average(); ok {
		out.Average = &a
	}
	return out
}

func peopleJSON(ps []PersonFigures, dir *bot.Directory) []personJSON {
	out := []personJSON{}
	for _, p := range ps {
		out = append(out, personJSON{User: p.User, Name: dir.Name(p.User), Resolved: p.Resolved, Met: p.Met, RightFirstTime: p.RightFirstTime})
	}
	return out
}

func nonZero(x float64) *float64 {
	if x == 0 {
		return nil
	}
	return &x
}
