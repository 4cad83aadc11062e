package bot

import (
	"sync"
	"time"
)

// Every /ask works out its deadlines, its first reminder and the due time
// in its reply on its department's calendar, each a walk over a few
// dates, and each date's business intervals were built afresh by OpenOn
// (a time.Date per span edge, a zone lookup each): 7–9% of a loaded
// server's CPU (docs/performance.md). A calendar that will not change
// again can remember them by date instead.

// calendarMemoDays bounds the dates a calendar remembers (about 11 years
// of them); past it, it starts over.
const calendarMemoDays = 4096

// openMemo holds a calendar's business intervals by day number (days since
// 1970-01-01 of the local date).
type openMemo struct {
	mu   sync.RWMutex
	days map[int64][]Interval
}

// Memoize makes c remember the business intervals of each date it was
// asked about, and returns c. Call it once c is complete: a calendar that
// remembers must not be changed afterwards (its hours, holidays or
// workdays), or it would keep answering from what it was. The intervals
// are the same either way (calendar_memo_test.go).
func (c *Calendar) Memoize() *Calendar {
	if !c.wall && c.memo == nil {
		c.memo = &openMemo{days: make(map[int64][]Interval)}
	}
	return c
}

// civilDay is the number of the date y-m-d (d may lie outside the month,
// as time.Date allows) counted from 1970-01-01, with no time zone: a key
// for the date, cheaper than time.Date.
func civilDay(y int, m time.Month, d int) int64 {
	// Days from civil (Howard Hinnant's algorithm), on the month's first,
	// plus the days past it.
	yy, mm := int64(y), int64(m)
	if mm <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era--
	}
	yoe := yy - era*400
	mp := (mm + 9) % 12
	doy := (153*mp + 2) / 5
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468 + int64(d) - 1
}

// openOnMemo returns OpenOn(y, m, d) from the memo, computing and keeping
// it on first use. The slice is shared: it is never changed, and its
// capacity is its length, so an append by a caller copies it.
func (c *Calendar) openOnMemo(y int, m time.Month, d int) []Interval {
	key := civilDay(y, m, d)
	c.memo.mu.RLock()
	out, ok := c.memo.days[key]
	c.memo.mu.RUnlock()
	if ok {
		return out
	}
	out = c.openOn(y, m, d)
	out = out[:len(out):len(out)]
	c.memo.mu.Lock()
	if len(c.memo.days) >= calendarMemoDays {
		clear(c.memo.days)
	}
	c.memo.days[key] = out
	c.memo.mu.Unlock()
	return out
}
