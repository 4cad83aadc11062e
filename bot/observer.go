package bot

import "strings"

// Observer hears what the desk does, for metrics. The desk calls it after
// the fact is durable (a request stored, a reminder recorded, a message
// marked sent), so a count never runs ahead of the database. Its methods
// must be quick and safe for concurrent use. Desk.Observer nil means none.
type Observer interface {
	// Filed is told of each request filed, with its department's name.
	Filed(dept string)
	// Delivered is told of each delivery attempt's outcome: one of
	// DeliverySent, DeliveryRetry, DeliveryDead or DeliveryOutage.
	Delivered(outcome string)
	// Reminded is told of n reminders recorded as sent, of kind (RemindWarn
	// …, or "rating" for rating reminders) on clock ("first_response",
	// "resolution", or "" when no SLA clock is concerned).
	Reminded(kind, clock string, n int)
	// Breached is told once per SLA breach, when the sweep records it.
	Breached(dept, clock string)
}

// Delivery outcomes, as told to Observer.Delivered.
const (
	DeliverySent   = "sent"   // the chat took it
	DeliveryRetry  = "retry"  // refused for now; tried again later
	DeliveryDead   = "dead"   // set aside: permanent error or too many attempts
	DeliveryOutage = "outage" // the chat refuses askdesk itself; delivery paused
)

// AllStates lists every request state, for figures that show zeros too.
var AllStates = []State{Open, Acknowledged, Waiting, Resolved, Closed, Reopened, Cancelled}

func (d *Desk) observer() Observer {
	if d.Observer == nil {
		return nopObserver{}
	}
	return d.Observer
}

// observeReminders tells the observer what a sweep recorded as sent.
func (d *Desk) observeReminders(sent []Reminder, byID map[string]*Request) {
	o := d.observer()
	for _, rem := range sent {
		clock := clockLabel(rem.Clock)
		o.Reminded(rem.Kind, clock, rem.Count())
		if rem.Kind == RemindBreach {
			if r := byID[rem.RequestID]; r != nil {
				o.Breached(r.Dept, clock)
			}
		}
	}
}

// clockLabel turns "first response" into "first_response".
func clockLabel(name string) string { return strings.ReplaceAll(name, " ", "_") }

type nopObserver struct{}

func (nopObserver) Filed(string)                 {}
func (nopObserver) Delivered(string)             {}
func (nopObserver) Reminded(string, string, int) {}
func (nopObserver) Breached(string, string)      {}
