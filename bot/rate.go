package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ratings returns the directory's rating policy, defaults filled in.
func (d *Directory) RatingPolicy() RatingPolicy {
	p := d.Ratings
	if len(p.Emoji) != 5 {
		p.Emoji = DefaultRatingPolicy.Emoji
	}
	if p.Window <= 0 {
		p.Window = DefaultRatingPolicy.Window
	}
	if p.Sample <= 0 || p.Sample > 1 {
		p.Sample = 1
	}
	if p.RemindAfter == 0 {
		p.RemindAfter = DefaultRatingPolicy.RemindAfter
	}
	return p
}

// ratingAsk decides whether the requester is asked to rate this
// resolution: not when they rated an earlier one of the same request, not
// when asked about something else within the policy's interval (fatigue),
// not outside the sample. The decision is recorded either way, so response
// rates count skips as not asked.
func (d *Desk) ratingAsk(ctx context.Context, r *Request, now time.Time) (Rating, error) {
	p := d.Dir().RatingPolicy()
	ask := Rating{RequestID: r.ID, Round: r.Reopens, Requester: r.Requester, Dept: r.Dept, AskedAt: now}
	if r.Reopens > 0 {
		rated, err := d.Store.EverRated(ctx, r.ID)
		if err != nil {
			return ask, err
		}
		if rated {
			ask.Skipped = "rated before" //i18n:ok a skip reason stored for the figures, not shown
			return ask, nil
		}
	}
	if p.MinInterval > 0 {
		last, err := d.Store.LastAsked(ctx, r.Requester)
		if err != nil {
			return ask, err
		}
		if !last.IsZero() && now.Sub(last) < p.MinInterval {
			ask.Skipped = "fatigue"
			return ask, nil
		}
	}
	if !p.sampled(r.ID, r.Reopens) {
		ask.Skipped = "sampling"
	}
	return ask, nil
}

// addRatingPrompt turns the requester's "resolved" DM into the rating
// prompt: the question, the five choices as buttons (one click rates), the
// same five named as reactions that rate too, and, when the policy says
// so, those reactions already added by the bot.
func (d *Desk) addRatingPrompt(msgs []Message, r *Request) {
	p := d.Dir().RatingPolicy()
	pr := d.Printer(r.Requester, d.Dir().StandardOf(r)) // the requester's language
	for i := range msgs {
		m := &msgs[i]
		if !m.DM || m.To != r.Requester || m.ThreadOf != r.ID {
			continue
		}
		var glyphs []string
		for _, e := range p.Emoji {
			glyphs = append(glyphs, Glyph(e))
		}
		// Reacting rates whether or not the bot added the emoji, so the
		// text says so either way; the buttons carry the rating always.
		m.Text += pr.T("rate.prompt", "Glyphs", strings.Join(glyphs, " "), "Days", int(p.Window.Hours()/24))
		if p.Reactions {
			m.Reactions = p.Emoji
		}
		for i, e := range p.Emoji {
			m.Buttons = append(m.Buttons, Button{Label: Glyph(e), Action: ActRate, RequestID: r.ID, Arg: strconv.Itoa(i + 1)})
		}
		m.Buttons = append(m.Buttons, Button{Label: pr.T("rate.comment_button"), Action: ActComment, RequestID: r.ID, Arg: "text"})
		m.RatingFor = r.ID
		return
	}
}

// RateResult says what a rating did.
type RateResult struct {
	Request *Request
	Score   int // 0 when withdrawn
	Prev    int
}

// Rate records the requester's rating of the latest resolution of a
// request: a score 1–5, or an emoji of the policy ("🙂", ":heart_eyes:").
// A new rating replaces the one before; a low one (1–2) starts service
// recovery: the department's leads hear of it privately and the requester
// is asked what went wrong. Only the requester may rate, within the window.
func (d *Desk) Rate(ctx context.Context, user, id, choice string) (RateResult, error) {
	if err := CheckUser(user); err != nil {
		return RateResult{}, err
	}
	p := d.Dir().RatingPolicy()
	score := p.ScoreOf(choice)
	if n, err := strconv.Atoi(strings.TrimSpace(choice)); err == nil && n >= 1 && n <= 5 {
		score = n
	}
	if score == 0 {
		return RateResult{}, E(EINVALID, "rate.refuse.how")
	}
	return d.setScore(ctx, user, id, score)
}

// Unrate withdraws a rating when the requester removes the reaction that
// made it; removing any other reaction does nothing.
func (d *Desk) Unrate(ctx context.Context, user, id, emoji string) (RateResult, error) {
	r, cur, err := d.rateable(ctx, user, id, "rate.refuse.not_yours")
	if err != nil {
		return RateResult{}, err
	}
	if !cur.Rated() || d.Dir().RatingPolicy().ScoreOf(emoji) != cur.Score {
		return RateResult{Request: r, Score: cur.Score, Prev: cur.Score}, nil
	}
	return d.setScore(ctx, user, id, 0)
}

// rateable checks who may rate what, and when, and returns the current row.
// notYours is the catalogue key of the refusal of someone else (its
// argument is ID): a rating and a comment on one are refused in words of
// their own.
func (d *Desk) rateable(ctx context.Context, user, id, notYours string) (*Request, Rating, error) {
	id, err := NormalizeID(id)
	if err != nil {
		return nil, Rating{}, err
	}
	r, err := d.Store.Request(ctx, id)
	if err != nil {
		return nil, Rating{}, err
	}
	if user != r.Requester {
		return nil, Rating{}, E(EFORBIDDEN, notYours, "ID", r.ID)
	}
	if r.State != Resolved && r.State != Closed {
		return nil, Rating{}, E(ECONFLICT, "rate.refuse.not_resolved", "ID", r.ID, "State", stateArg(r.State))
	}
	if win := d.Dir().RatingPolicy().Window; d.Now().Sub(r.ResolvedAt) > win {
		return nil, Rating{}, E(ECONFLICT, "rate.refuse.too_late", "Days", int(win.Hours()/24), "ID", r.ID)
	}
	cur, _, err := d.Store.RatingOf(ctx, r.ID, r.Reopens)
	if err != nil {
		return nil, Rating{}, err
	}
	return r, cur, nil
}

func (d *Desk) setScore(ctx context.Context, user, id string, score int) (RateResult, error) {
	r, cur, err := d.rateable(ctx, user, id, "rate.refuse.not_yours")
	if err != nil {
		return RateResult{}, err
	}
	now := d.Now()
	row := Rating{RequestID: r.ID, Round: r.Reopens, Requester: r.Requester, Dept: r.Dept, AskedAt: cur.AskedAt, Score: score, RatedAt: now}
	if row.AskedAt.IsZero() {
		row.AskedAt = now
	}
	prev, err := d.Store.SetScore(ctx, row)
	if err != nil {
		return RateResult{}, err
	}
	d.Log.InfoContext(ctx, "rated", "request", r.ID, "user", user, "score", score, "prev", prev)
	if score > 0 && score <= 2 && (prev == 0 || prev > 2) {
		if err := d.recover(ctx, r, score, now); err != nil {
			return RateResult{}, err
		}
	}
	if prev > 0 && prev <= 2 && score > 2 {
		if err := d.recovered(ctx, r, prev, score, now); err != nil {
			return RateResult{}, err
		}
	}
	return RateResult{Request: r, Score: score, Prev: prev}, nil
}

// recover starts service recovery after a low rating: the leads are told
// privately, with the request, and the requester is asked what went wrong,
// with the way to reopen. Once per resolution.
func (d *Desk) recover(ctx context.Context, r *Request, score int, now time.Time) error {
	dep := d.Dir().StandardOf(r)
	if dep == nil {
		return nil
	}
	p := d.Dir().RatingPolicy()
	a := about{id: r.ID, title: Escape(r.Title)}
	var msgs []Message
	for _, lead := range dep.Leads {
		// In the request's thread of the lead's DM, where Slack links the card.
		lp := d.Printer(lead, dep)
		msgs = append(msgs, Message{To: lead, DM: true, ThreadOf: r.ID, Lang: lp.Lang(), Text: lp.T("rate.recovery_lead",
			"Who", Mention(r.Requester), "Req", a.req(lp), "Glyph", Glyph(p.Emoji[score-1]), "Score", score, "ID", r.ID)})
	}
	rp := d.Printer(r.Requester, dep)
	msgs = append(msgs, Message{To: r.Requester, DM: true, ThreadOf: r.ID, Lang: rp.Lang(),
		Text:    rp.T("rate.recovery_requester", "ID", r.ID, "Dept", Escape(dep.DisplayName)),
		Buttons: []Button{{Label: rp.T("rate.reopen_button"), Action: ActReopen, RequestID: r.ID}}})
	_, err := d.Store.PostOnce(ctx, fmt.Sprintf("recovery:%s:%d", r.ID, r.Reopens), msgs, now)
	if err == nil {
		d.Notify()
	}
	return err
}

// CommentRating adds the requester's comment to their rating of the latest
// resolution (from the "Add a comment" form, or a reply in the DM thread
// after rating). It reports false when there is no rating to comment on.
func (d *Desk) CommentRating(ctx context.Context, user, id, text string) (bool, error) {
	if err := CheckUser(user); err != nil {
		return false, err
	}
	r, _, err := d.rateable(ctx, user, id, "err.comment_not_yours")
	if err != nil {
		return false, err
	}
	text = strings.TrimSpace(CleanText(text))
	if err := CheckText(text); err != nil {
		return false, err
	}
	ok, err := d.Store.SetRatingComment(ctx, r.ID, r.Reopens, text)
	if err != nil || !ok {
		return ok, err
	}
	return true, d.tellLeadsOfComment(ctx, r, text, d.Now())
}

// ratingReminderBatch bounds one pass of rating reminders.
const ratingReminderBatch = 500

// RemindRatings sends the one reminder a requester gets for a prompt not
// answered after the policy's delay, inside their business hours, while
// the window is open. It returns how many were sent.
func (d *Desk) RemindRatings(ctx context.Context) (int, error) {
	p := d.Dir().RatingPolicy()
	if p.RemindAfter <= 0 {
		return 0, nil
	}
	now := d.Now()
	due, err := d.Store.RatingsToRemind(ctx, now.Add(-p.RemindAfter), now.Add(-p.Window), ratingReminderBatch)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, rt := range due {
		dep := d.Dir().ByName(rt.Dept)
		if dep == nil {
			continue
		}
		if cal := d.homeCalendar(rt.Requester, dep); !cal.IsOpen(now) {
			continue // next sweep, inside their hours
		}
		rp := d.Printer(rt.Requester, dep)
		msg := Message{To: rt.Requester, DM: true, ThreadOf: rt.RequestID, Lang: rp.Lang(),
			Text: rp.T("rate.reminder", "Dept", Escape(dep.DisplayName), "ID", rt.RequestID)}
		ok, err := d.Store.RemindRating(ctx, rt, now, []Message{msg})
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	if sent > 0 {
		d.Notify()
	}
	return sent, nil
}
