package bot

import (
	"math/rand/v2"
	"testing"
	"time"
)

// stepCalendars are calendars that make stepping by days hard: lunch
// breaks, shorter days (a position past their close), holidays, make-up
// working days, daylight saving time inside and around business hours,
// open around the clock, and calendar time.
func stepCalendars(t testing.TB) map[string]*Calendar {
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	ny := &Calendar{Location: zone("America/New_York"), Holidays: map[string]string{
		"2026-12-25": "Christmas", "2027-01-01": "New Year", "2027-07-05": "", "2027-11-25": "Thanksgiving"}}
	for d := time.Monday; d <= time.Thursday; d++ {
		ny.Hours[d] = []Span{{9 * 60, 12 * 60}, {13 * 60, 17*60 + 30}}
	}
	ny.Hours[time.Friday] = []Span{{9 * 60, 12 * 60}}
	ny.Hours[time.Saturday] = []Span{{10 * 60, 11 * 60}}
	sh := &Calendar{Location: zone("Asia/Shanghai"),
		Holidays: map[string]string{"2027-02-05": "春节", "2027-02-08": "春节", "2027-02-09": "春节"},
		Workdays: map[string]Workday{"2027-02-13": {Name: "调休"}, "2027-02-14": {Hours: []Span{{10 * 60, 12 * 60}}}}}
	for d := time.Monday; d <= time.Friday; d++ {
		sh.Hours[d] = []Span{{9 * 60, 12 * 60}, {12 * 60, 18 * 60}}
	}
	night := &Calendar{Location: zone("America/New_York")} // spans across the 2 a.m. changes
	round := &Calendar{Location: zone("Europe/London")}
	for d := range 7 {
		night.Hours[d] = []Span{{30, 3*60 + 30}, {22 * 60, 24 * 60}}
		round.Hours[d] = []Span{{0, 24 * 60}}
	}
	round.Hours[time.Sunday] = nil
	utc := &Calendar{Location: time.UTC}
	for d := range 7 {
		utc.Hours[d] = []Span{{0, 24 * 60}}
	}
	return map[string]*Calendar{"NewYork": ny, "Shanghai": sh, "NightsAcrossDST": night, "LondonNoSundays": round, "UTCAroundTheClock": utc}
}

// TestDayStepperStepsAsDeadline holds the sweep's day stepper to
// Calendar.Deadline: from random instants over two years, sixty steps of
// one, two and five working days and of a calendar day land where
// Deadline, applied again and again, lands.
func TestDayStepperStepsAsDeadline(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2026))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	span := int64(2 * 365 * 24 * time.Hour)
	for name, cal := range stepCalendars(t) {
		t.Run(name, func(t *testing.T) {
			tables := dayTables{}
			for _, every := range []BusinessDuration{{Days: 1}, {Days: 2}, {Days: 5}, {Days: 1, Kind: CalendarTime}} {
				for range 150 {
					start := from.Add(time.Duration(rng.Int64N(span))).Truncate(time.Minute)
					if rng.IntN(2) == 0 { // on a stretch's edge, where steps fall
						start = cal.Deadline(start, every)
					}
					step := dayStepper(tables, cal, every)
					got, want := start, start
					for n := 1; n <= 60; n++ {
						got, want = step(got), cal.Deadline(want, every)
						if !got.Equal(want) || got.Location() != want.Location() {
							t.Fatalf("%v from %v, step %d: got %v, want %v", every, start, n, got, want)
						}
					}
				}
			}
		})
	}
}

// TestDayTableBetweenIsCalendarBetween holds the sweep's business time
// between two instants, read off a day table, to Calendar.Between: spans
// within a day, across days, weeks and a year, in business and calendar
// time.
func TestDayTableBetweenIsCalendarBetween(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 12))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, cal := range stepCalendars(t) {
		t.Run(name, func(t *testing.T) {
			tables := dayTables{}
			for _, kind := range []DurationKind{BusinessTime, CalendarTime} {
				tab := tables.of(cal, kind)
				for _, width := range []time.Duration{3 * time.Hour, 50 * time.Hour, 20 * 24 * time.Hour, 400 * 24 * time.Hour} {
					for range 200 {
						a := from.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour)))).Truncate(time.Minute)
						b := a.Add(time.Duration(rng.Int64N(int64(width)))).Truncate(time.Minute)
						if got, want := tab.between(a, b), cal.For(kind).Between(a, b); got != want {
							t.Fatalf("kind %d, [%v, %v): got %v, want %v", kind, a, b, got, want)
						}
					}
				}
			}
		})
	}
}

// TestDateKeyIsTheLayout holds OpenOn's hand-made date keys to Format.
func TestDateKeyIsTheLayout(t *testing.T) {
	for _, y := range []int{-1, 0, 7, 999, 2026, 9999, 10000} {
		at := time.Date(y, time.March, 9, 12, 0, 0, 0, time.UTC)
		if got, want := string(dateKey(nil, at)), at.Format(dateLayout); got != want {
			t.Errorf("year %d: got %q, want %q", y, got, want)
		}
	}
}

// TestTabledArithmeticIsTheCalendars holds the sweep's table arithmetic to
// the calendar's own: Add, Deadline and Resolve of business hours, working
// days, both, and calendar time, from random instants in and out of
// business hours.
func TestTabledArithmeticIsTheCalendars(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 30))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	durations := []BusinessDuration{{Time: 30 * time.Minute}, {Time: 4 * time.Hour}, {Time: 37 * time.Hour},
		{Days: 1}, {Days: 3}, {Days: 1, Time: 4 * time.Hour}, {Days: 10}, {Time: 24 * time.Hour, Kind: CalendarTime},
		{Days: 2, Kind: CalendarTime}, {}}
	for name, cal := range stepCalendars(t) {
		t.Run(name, func(t *testing.T) {
			ar := tabled{dayTables{}, cal}
			for range 300 {
				at := from.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour)))).Truncate(time.Minute)
				if rng.IntN(3) == 0 {
					at = cal.Deadline(at, BusinessDuration{Days: 1}) // at an opening's position
				}
				for _, bd := range durations {
					if got, want := ar.deadline(at, bd), cal.Deadline(at, bd); !got.Equal(want) || got.Location() != want.Location() {
						t.Fatalf("Deadline(%v, %v): got %v, want %v", at, bd, got, want)
					}
					if got, want := resolve(ar, at, bd), cal.Resolve(at, bd); got != want {
						t.Fatalf("Resolve(%v, %v): got %v, want %v", at, bd, got, want)
					}
					if got, want := ar.add(bd.Kind, at, bd.Time), cal.For(bd.Kind).Add(at, bd.Time); !got.Equal(want) {
						t.Fatalf("Add(%v, %v): got %v, want %v", at, bd.Time, got, want)
					}
				}
			}
		})
	}
}
