package bot

import (
	"context"
	"fmt"
	"strings"
)

// Deflection in the intake form: a form sent with earlier answers like it
// is kept whole as a pending filing (so that any replica can finish it)
// while the form shows those answers; "This answered it" settles it as
// for a routed filing (Answered), "File anyway" files it as sent
// (FileKept).

// Deflected is a form's filing kept while its earlier answers are shown.
type Deflected struct {
	Pending *PendingFiling // its Form is the filing as sent
	Dept    *Department
	Answers []EarlierAnswer
}

// FileOrDeflect files f, a filing from the intake form, unless its
// department has earlier answers that f.Requester may see and that are
// like ask (what they typed; see SimilarAnswers): then nothing is filed,
// f is kept whole as a pending filing, and it returns the answers with it,
// for the requester to settle it (Answered) or file it anyway (FileKept).
// f is checked as File checks it first, so that what is kept can be
// filed. The request must not be lost to deflection: when looking for
// answers or keeping f fails, f is filed and the error logged. It returns
// File's errors: EINVALID, ENOTFOUND.
func (d *Desk) FileOrDeflect(ctx context.Context, f Filing, ask string) (*Request, *Deflected, error) {
	if err := CheckUser(f.Requester); err != nil {
		return nil, nil, err
	}
	dep, err := d.Dir().Department(f.Dept)
	if err != nil {
		return nil, nil, err
	}
	f.Dept = dep.Name
	if err := CheckText(strings.TrimSpace(CleanText(f.Text))); err != nil {
		return nil, nil, err
	}
	if _, _, err := d.Dir().filingType(dep, f.Type, f.Fields); err != nil {
		return nil, nil, err
	}
	rs, ok := d.routing()
	if !ok {
		r, err := d.File(ctx, f)
		return r, nil, err
	}
	answers, err := d.SimilarAnswers(ctx, f.Requester, dep.Name, ask)
	if err != nil {
		d.Log.ErrorContext(ctx, "deflection: earlier answers not found, filing", "user", f.Requester, "dept", dep.Name, "err", err)
		answers = nil
	}
	if len(answers) > 0 {
		kept := f
		pf := &PendingFiling{Requester: f.Requester, Priority: f.Priority, Text: f.Text, CreatedAt: d.Now(), Form: &kept}
		err := rs.SavePendingFiling(ctx, pf)
		if err == nil {
			return nil, &Deflected{Pending: pf, Dept: dep, Answers: answers}, nil
		}
		d.Log.ErrorContext(ctx, "deflection: form not kept, filing", "user", f.Requester, "dept", dep.Name, "err", err)
	}
	r, err := d.File(ctx, f)
	return r, nil, err
}

// FileKept files pending filing ref, a form's filing that FileOrDeflect
// kept, exactly as it was sent ("File anyway"): it returns the reply a
// filing gets (the request announced as every filing is), or ENOTFOUND
// when it was settled or filed already or waited too long, EFORBIDDEN for
// anyone but its requester (it stays pending), EINVALID for a pending
// filing that is not a form's.
func (d *Desk) FileKept(ctx context.Context, user, ref string) (Reply, error) {
	if err := CheckUser(user); err != nil {
		return Reply{}, err
	}
	rs, ok := d.routing()
	if !ok {
		return Reply{}, E(EINTERNAL, "deflect.err.no_pending")
	}
	id, err := pendingID(ref)
	if err != nil {
		return Reply{}, err
	}
	pf, err := rs.TakePendingFiling(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return Reply{}, E(ENOTFOUND, "deflect.err.form_gone")
	} else if err != nil {
		return Reply{}, err
	}
	putBack := func() {
		if perr := rs.PutBackPendingFiling(ctx, pf); perr != nil {
			d.Log.ErrorContext(ctx, "put back pending filing", "user", user, "err", perr)
		}
	}
	if pf.Requester != user {
		if perr := rs.PutBackPendingFiling(ctx, pf); perr != nil {
			return Reply{}, perr
		}
		return Reply{}, E(EFORBIDDEN, "deflect.err.form_not_sender")
	}
	if pf.Form == nil {
		putBack()
		return Reply{}, E(EINVALID, "deflect.err.form_typed", "Ref", pf.Ref())
	}
	if d.Now().Sub(pf.CreatedAt) > PendingFilingTTL {
		return Reply{}, E(ENOTFOUND, "deflect.err.form_expired")
	}
	r, err := d.File(ctx, *pf.Form)
	if err != nil {
		putBack()
		return Reply{}, fmt.Errorf("file kept form %s: %w", pf.Ref(), err)
	}
	pr := d.filingPrinter(user, d.Dir().StandardOf(r))
	return Reply{Text: d.FiledTextIn(pr, r, user), Request: r, Lang: pr.Lang()}, nil
}
