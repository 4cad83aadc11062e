package bot

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestCivilDay: the memo's key of a date is its day number, for dates
// written as time.Date takes them (a day past the month's end, or before
// its start).
func TestCivilDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(28, 2026))
	for range 20000 {
		y, m, d := 1600+rng.IntN(900), time.Month(1+rng.IntN(12)), rng.IntN(200)-100
		got := civilDay(y, m, d)
		want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
		if got != want {
			t.Fatalf("civilDay(%d, %d, %d) = %d, want %d", y, m, d, got, want)
		}
	}
}

// TestMemoizedCalendarAnswersAsPlain: a calendar that remembers its dates
// gives the same intervals, deadlines, business time and openings as the
// same calendar computing each afresh, asked in any order, many times over
// (calendars with lunch breaks, holidays, make-up days, DST).
func TestMemoizedCalendarAnswersAsPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(28, 12))
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	span := int64(3 * 365 * 24 * time.Hour)
	for name, plain := range stepCalendars(t) {
		t.Run(name, func(t *testing.T) {
			memo := (&Calendar{Location: plain.Location, Hours: plain.Hours, Holidays: plain.Holidays,
				Workdays: plain.Workdays}).Memoize()
			if memo.memo == nil {
				t.Fatal("Memoize did not make the calendar remember")
			}
			for range 3000 {
				at := from.Add(time.Duration(rng.Int64N(span))).Truncate(time.Minute)
				y, m, d := at.In(plain.Location).Date()
				d += rng.IntN(80) - 40
				if got, want := memo.OpenOn(y, m, d), plain.OpenOn(y, m, d); !slices.Equal(got, want) {
					t.Fatalf("OpenOn(%d, %d, %d) = %v, want %v", y, m, d, got, want)
				}
				bd := BusinessDuration{Days: rng.IntN(4), Time: time.Duration(rng.IntN(10*60)) * time.Minute}
				if got, want := memo.Deadline(at, bd), plain.Deadline(at, bd); !got.Equal(want) {
					t.Fatalf("Deadline(%v, %v) = %v, want %v", at, bd, got, want)
				}
				later := at.Add(time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))
				if got, want := memo.Between(at, later), plain.Between(at, later); got != want {
					t.Fatalf("Between(%v, %v) = %v, want %v", at, later, got, want)
				}
				if got, want := memo.NextOpen(at), plain.NextOpen(at); !got.Equal(want) {
					t.Fatalf("NextOpen(%v) = %v, want %v", at, got, want)
				}
			}
			if n := len(memo.memo.days); n == 0 || n > calendarMemoDays {
				t.Errorf("the memo holds %d dates, want some and at most %d", n, calendarMemoDays)
			}
		})
	}
}

// TestMemoizedIntervalsAreNotShared: appending to the intervals a
// memoized calendar gave does not change what it gives next.
func TestMemoizedIntervalsAreNotShared(t *testing.T) {
	cal := stepCalendars(t)["NewYork"]
	memo := (&Calendar{Location: cal.Location, Hours: cal.Hours, Holidays: cal.Holidays}).Memoize()
	first := memo.OpenOn(2026, time.December, 2)
	want := slices.Clone(first)
	_ = append(first, Interval{})
	if got := memo.OpenOn(2026, time.December, 2); !slices.Equal(got, want) {
		t.Fatalf("after an append by a caller, OpenOn = %v, want %v", got, want)
	}
}

func BenchmarkDeadlineMemoized(b *testing.B) {
	cal := stepCalendars(b)["NewYork"]
	memo := (&Calendar{Location: cal.Location, Hours: cal.Hours, Holidays: cal.Holidays}).Memoize()
	at := time.Date(2026, 12, 3, 15, 4, 0, 0, time.UTC)
	bd := BusinessDuration{Days: 2, Time: 3 * time.Hour}
	for _, c := range []struct {
		name string
		cal  *Calendar
	}{{"plain", cal}, {"memoized", memo}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.cal.Deadline(at, bd)
			}
		})
	}
}
