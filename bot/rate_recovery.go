package bot

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// The rest of service recovery (rate.go starts it): the requester is told
// their word reaches the department's leads, so a comment on a low rating,
// given in the form or as a reply in the DM thread, goes to each lead by
// DM, and so does a low rating later raised.

// toLeads DMs each lead of the department that served r, in the request's
// thread and the lead's language, once for key.
func (d *Desk) toLeads(ctx context.Context, r *Request, key string, now time.Time, text func(p *i18n.Printer, dep *Department) string) error {
	dep := d.Dir().StandardOf(r)
	if dep == nil {
		return nil
	}
	var msgs []Message
	for _, lead := range dep.Leads {
		lp := d.Printer(lead, dep)
		msgs = append(msgs, Message{To: lead, DM: true, ThreadOf: r.ID, Lang: lp.Lang(), Text: text(lp, dep)})
	}
	if len(msgs) == 0 {
		return nil
	}
	sent, err := d.Store.PostOnce(ctx, key, msgs, now)
	if sent {
		d.Notify()
	}
	return err
}

// tellLeadsOfComment sends the requester's comment on a low rating of r's
// latest resolution to the department's leads. A comment on a rating that
// is not low stays with the rating (reports and exports read it).
func (d *Desk) tellLeadsOfComment(ctx context.Context, r *Request, text string, now time.Time) error {
	rt, ok, err := d.Store.RatingOf(ctx, r.ID, r.Reopens)
	if err != nil || !ok || rt.Score < 1 || rt.Score > 2 {
		return err
	}
	h := fnv.New64a()
	h.Write([]byte(text))
	key := fmt.Sprintf("rating-comment:%s:%d:%x", r.ID, r.Reopens, h.Sum64())
	glyph := Glyph(d.Dir().RatingPolicy().Emoji[rt.Score-1])
	return d.toLeads(ctx, r, key, now, func(p *i18n.Printer, _ *Department) string {
		a := about{id: r.ID, title: Escape(r.Title)}
		return p.T("rate.after.comment_lead", "Who", Mention(r.Requester), "Req", a.req(p), "Glyph", glyph, "Score", rt.Score) + quoted(Escape(text))
	})
}

// recovered tells the leads who heard of a low rating that the requester
// has raised it: the recovery worked. Once per resolution.
func (d *Desk) recovered(ctx context.Context, r *Request, prev, score int, now time.Time) error {
	emoji := d.Dir().RatingPolicy().Emoji
	return d.toLeads(ctx, r, fmt.Sprintf("recovered:%s:%d", r.ID, r.Reopens), now, func(p *i18n.Printer, _ *Department) string {
		a := about{id: r.ID, title: Escape(r.Title)}
		return p.T("rate.after.raised_lead", "Who", Mention(r.Requester), "Req", a.req(p),
			"From", Glyph(emoji[prev-1]), "To", Glyph(emoji[score-1]), "Score", score)
	})
}

// ratingLine is the rating of r's latest resolution as a last line of
// the status's history, shown to the requester and the department that
// served: when, the score, and the comment. Empty when not rated, or for anyone else.
func (d *Desk) ratingLine(ctx context.Context, p *i18n.Printer, user string, r *Request) (string, error) {
	rt, ok, err := d.Store.RatingOf(ctx, r.ID, r.Reopens)
	if err != nil || !ok || !rt.Rated() {
		return "", err
	}
	dep := d.Dir().ByName(rt.Dept)
	if user != r.Requester && (dep == nil || !dep.IsStaff(user)) {
		return "", nil
	}
	owner := d.Dir().StandardOf(r)
	if owner == nil {
		return "", nil
	}
	vt := d.viewerTimes(p, user, owner, d.Now())
	line := p.T("explain.history.line", "When", vt.short(rt.RatedAt),
		"What", p.T("rate.after.status", "Glyph", Glyph(d.Dir().RatingPolicy().Emoji[rt.Score-1]), "Score", rt.Score))
	if rt.Comment != "" {
		line += quoted(Escape(rt.Comment))
	}
	return line, nil
}
