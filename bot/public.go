package bot

import (
	"context"
	"fmt"
)

// Public requests: anyone in the workspace may find and read (never act
// on) a saved answer, and every request of a department that publishes
// its requests (public_requests in the catalogue), so that one person's
// answered question helps the next. A private type's request is never
// public: it cannot be saved as an answer, and a public department's
// private requests stay with their requester and the department.
//
// Who may see a request is checked twice: the store's search scope
// (SearchScope, from Directory.ScopeOf) is the first fence, and the desk
// checks each request it shows with MayView and MaySeePrivate.

// ActUnsaveAnswer removes a saved answer: the request is no longer shown
// first in deflection, nor public (department staff only; see
// permissions).
const ActUnsaveAnswer Action = "remove from saved answers" //i18n:ok an identifier; people read err.act.unsave

// PublicByDept reports whether r is public because its department
// publishes its requests; a private request never is.
func (d *Directory) PublicByDept(r *Request) bool {
	if r.Private {
		return false
	}
	dep := d.ByName(r.Dept)
	return dep != nil && dep.PublicRequests
}

// MayView returns nil if viewer may open r (/ask status, search,
// deflection): as Authorize(ActView) allows, or because r is a saved
// answer (and not private). It returns Authorize's EFORBIDDEN otherwise.
func (d *Desk) MayView(ctx context.Context, viewer string, r *Request) error {
	dir := d.Dir()
	err := dir.Authorize(viewer, ActView, r)
	if err == nil || r.Private {
		return err
	}
	saved, serr := d.savedAnswers(ctx, []*Request{r})
	if serr != nil {
		return serr
	}
	if saved[r.ID] {
		return nil
	}
	return err
}

// mayView reports, for each of rs, whether viewer may open it, as
// MayView does, reading whether they are saved answers at most once.
func (d *Desk) mayView(ctx context.Context, dir *Directory, viewer string, rs []*Request) ([]bool, error) {
	out := make([]bool, len(rs))
	var ask []*Request
	for i, r := range rs {
		out[i] = dir.Authorize(viewer, ActView, r) == nil
		if !out[i] && !r.Private {
			ask = append(ask, r)
		}
	}
	saved, err := d.savedAnswers(ctx, ask)
	if err != nil {
		return nil, err
	}
	for i, r := range rs {
		out[i] = out[i] || !r.Private && saved[r.ID]
	}
	return out, nil
}

// savedAnswers returns which of rs are saved answers; none when the store
// keeps none.
func (d *Desk) savedAnswers(ctx context.Context, rs []*Request) (map[string]bool, error) {
	x, ok := d.deflection()
	if !ok || len(rs) == 0 {
		return map[string]bool{}, nil
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	saved, err := x.SavedAnswers(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("saved answers: %w", err)
	}
	return saved, nil
}
