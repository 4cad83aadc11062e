package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot/cjk"
	"github.com/askdesk/askdesk/bot/i18n"
	"github.com/askdesk/askdesk/bot/route"
)

// Deflection: before a routed filing is filed, the requester sees up to
// three similar resolved requests they may see, with their resolution
// notes; "This answered it" settles the matter without a request (counted
// as self-served), "File anyway" files.

// ActAnswered is "This answered it" under a deflection: its RequestID is
// the pending filing ("P42") and its Arg the request whose answer served,
// a colon, and the department the requester had chosen ("FIN-12:finance").
const ActAnswered Action = "answered"

// ActSaveAnswer marks a resolved request's resolution note as a saved
// answer of its department, shown first among similar ones (department
// staff only; see permissions).
const ActSaveAnswer Action = "save the answer of" //i18n:ok an identifier; people read err.act.save_answer

// fileAnyway starts the Arg of an ActRoute button that files without
// looking for earlier answers again ("!finance").
const fileAnyway = "!"

// deflectShown is how many earlier answers a deflection shows.
const deflectShown = 3

// deflectNoteLen bounds the characters of a resolution note a deflection
// shows, so that three of them fit one message; `/ask status` shows all.
const deflectNoteLen = 600

// SelfServed is a question settled by an earlier answer: nothing was
// filed, and no one's time was spent.
type SelfServed struct {
	PendingID  int64  // the pending filing it settled
	Dept       string // the department the requester had chosen
	Requester  string
	AnsweredBy string // the request whose resolution note answered it
	At         time.Time
}

// Deflection is what deflection needs from storage; store.DB implements it.
type Deflection interface {
	// RecordSelfServed stores s; a second record of the same pending
	// filing is ignored.
	RecordSelfServed(ctx context.Context, s SelfServed) error
	// SelfServedCounts returns, per department, how many questions were
	// self-served at or after from and before to.
	SelfServedCounts(ctx context.Context, from, to time.Time) (map[string]int, error)
	// SaveAnswer marks request id's resolution note as a saved answer,
	// which everyone may find (SearchScope), unless id is private.
	SaveAnswer(ctx context.Context, id, user string, at time.Time) error
	// UnsaveAnswer makes request id a saved answer no longer.
	UnsaveAnswer(ctx context.Context, id string) error
	// SavedAnswers returns which of ids are saved answers.
	SavedAnswers(ctx context.Context, ids []string) (map[string]bool, error)
}

func (d *Desk) deflection() (Deflection, bool) {
	x, ok := d.Store.(Deflection)
	return x, ok
}

// EarlierAnswer is a resolved request shown before filing.
type EarlierAnswer struct {
	Request *Request
	Note    string // its resolution note
	Saved   bool   // a saved answer of its department
}

// SimilarAnswers returns up to three resolved (or closed) requests of dept
// that viewer may see (their own, their departments', and the public
// ones: saved answers, public departments' requests) and whose words are
// like text's, each with its resolution note (requests resolved without a
// note are left out); saved answers first, then the best match. None when
// the store keeps no index.
func (d *Desk) SimilarAnswers(ctx context.Context, viewer, dept, text string) ([]EarlierAnswer, error) {
	s, ok := d.Store.(Searcher)
	if !ok {
		return nil, nil
	}
	words := answerWords(text)
	if len(words) == 0 {
		return nil, nil
	}
	dir := d.Dir()
	q := SearchQuery{Words: words, AnyWords: true, Dept: dept, States: []State{Resolved, Closed}}
	hits, err := s.SearchRequests(ctx, q, dir.ScopeOf(viewer), 0, 20)
	if err != nil {
		return nil, fmt.Errorf("similar answers: %w", err)
	}
	need := min(2, len(words))
	var like []*Request
	for _, h := range hits {
		if sharedWords(words, h.Request, h.Notes) >= need {
			like = append(like, h.Request)
		}
	}
	// Saved answers first; and the second fence, as in Search: a saved
	// answer (never private) is anyone's to see.
	saved, err := d.savedAnswers(ctx, like)
	if err != nil {
		return nil, fmt.Errorf("similar answers: %w", err)
	}
	var cands []EarlierAnswer
	for _, r := range like {
		pub := !r.Private && saved[r.ID]
		if dir.Authorize(viewer, ActView, r) != nil && !pub || !dir.MaySeePrivate(viewer, r) {
			continue
		}
		cands = append(cands, EarlierAnswer{Request: r, Saved: pub})
	}
	slices.SortStableFunc(cands, func(a, b EarlierAnswer) int {
		switch {
		case a.Saved == b.Saved:
			return 0
		case a.Saved:
			return -1
		}
		return 1
	})
	// The resolution notes of the first few only: most have one.
	var out []EarlierAnswer
	for _, a := range cands {
		if len(out) == deflectShown {
			break
		}
		evs, err := d.Store.Events(ctx, a.Request.ID)
		if err != nil {
			return nil, fmt.Errorf("similar answers: %w", err)
		}
		for _, ev := range evs {
			if ev.Kind == EvResolved && strings.TrimSpace(ev.Text) != "" {
				a.Note = strings.TrimSpace(ev.Text)
			}
		}
		if a.Note != "" {
			out = append(out, a)
		}
	}
	return out, nil
}

// answerWords are the words of text worth matching: no common words, none
// shorter than three letters, each once, at most maxSearchWords. Chinese
// has no spaces and its words are mostly two characters long, so a run of
// Han gives its overlapping pairs instead, folded to simplified and
// without the pairs that say nothing (route.Words): 差旅报销怎么走 gives
// 差旅, 旅报, 报销, 销怎, 么走. A pair that straddles two words rarely
// meets anything, and a question shares a word with an earlier one when
// it shares the pair.
func answerWords(text string) []string {
	var out []string
	add := func(w string) bool {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
		return len(out) == maxSearchWords
	}
	for _, w := range SearchWords(text) {
		if cjk.IsHanWord(w) {
			for _, pair := range route.Words(w) {
				if len([]rune(pair)) == 2 && add(pair) {
					return out
				}
			}
			continue
		}
		if len([]rune(w)) < 3 || route.IsStopWord(w) {
			continue
		}
		if add(w) {
			break
		}
	}
	return out
}

// sharedWords counts the words found (as words or their starts) in r's
// title, text, fields or notes; a pair of Han characters anywhere in
// their Han, folded to simplified.
func sharedWords(words []string, r *Request, notes string) int {
	parts := []string{r.Title, r.Text, notes}
	for _, f := range r.Fields {
		parts = append(parts, f.Value)
	}
	text := strings.Join(parts, "\n")
	have := SearchWords(text)
	han := ""
	n := 0
	for _, w := range words {
		if cjk.IsHanWord(w) {
			if han == "" {
				han = cjk.ToSimplified(strings.Join(cjk.Runs(text), "\n"))
			}
			if strings.Contains(han, w) {
				n++
			}
			continue
		}
		if slices.ContainsFunc(have, func(h string) bool { return strings.HasPrefix(h, w) }) {
			n++
		}
	}
	return n
}

// deflectReply shows the earlier answers before filing pf with dep (arg:
// the department and type the requester chose), in the requester's
// language as the filing's reply is (filingPrinter).
func (d *Desk) deflectReply(pf *PendingFiling, dep *Department, arg string, answers []EarlierAnswer) Reply {
	p := d.filingPrinter(pf.Requester, dep)
	intro, items, outro := DeflectWordsIn(p, dep, answers)
	var b strings.Builder
	b.WriteString(intro + "\n")
	b.WriteString(quoteText(pf.Text) + "\n")
	var buttons []Button
	for i, a := range answers {
		r := a.Request
		b.WriteString("\n• " + items[i])
		label := p.T("deflect.this_answered")
		if len(answers) > 1 {
			label = p.T("deflect.id_answered", "ID", r.ID)
		}
		buttons = append(buttons, Button{Label: label, Action: ActAnswered, RequestID: pf.Ref(), Arg: r.ID + ":" + arg})
	}
	b.WriteString("\n\n" + outro)
	buttons = append(buttons, Button{Label: p.T("deflect.file_anyway"), Action: ActRoute, RequestID: pf.Ref(), Arg: fileAnyway + arg})
	return Reply{Text: b.String(), Buttons: buttons, Lang: p.Lang()}
}

// DeflectWords are the words of a deflection before filing with dep, in
// the desk's text (escaped): the introduction, one item per answer (its
// ID, title, whether it is a saved answer, and its resolution note,
// quoted and clipped to deflectNoteLen characters) and the closing
// advice, which names "File anyway".
func DeflectWords(dep *Department, answers []EarlierAnswer) (intro string, items []string, outro string) {
	return DeflectWordsIn(nil, dep, answers)
}

// DeflectWordsIn is DeflectWords for a reader of p (nil: English).
func DeflectWordsIn(p *i18n.Printer, dep *Department, answers []EarlierAnswer) (intro string, items []string, outro string) {
	intro = p.T("deflect.intro", "Dept", Escape(dep.DisplayName), "What", p.N("deflect.earlier", len(answers)))
	for _, a := range answers {
		r := a.Request
		item := fmt.Sprintf("*%s* · %s", r.ID, Escape(r.Title))
		if a.Saved {
			item += p.T("deflect.saved_mark")
		}
		items = append(items, item+"\n"+quoteText(clipNote(p, a.Note)))
	}
	return intro, items, p.N("deflect.outro", len(answers))
}

// Answered settles pending filing ref without a request: arg names the
// request whose answer served and the department chosen ("FIN-12:finance").
// Only the requester may, once; it returns ENOTFOUND when the filing is
// gone or expired, EFORBIDDEN for anyone else or an answer they may not
// see, EINVALID for a malformed arg or an answer not resolved.
func (d *Desk) Answered(ctx context.Context, user, ref, arg string) (Reply, error) {
	if err := CheckUser(user); err != nil {
		return Reply{}, err
	}
	rs, ok := d.routing()
	x, ok2 := d.deflection()
	if !ok || !ok2 {
		return Reply{}, E(EINTERNAL, "deflect.err.no_pending")
	}
	id, err := pendingID(ref)
	if err != nil {
		return Reply{}, err
	}
	answerID, dept, _ := strings.Cut(strings.TrimSpace(arg), ":")
	dept, _, _ = strings.Cut(strings.TrimPrefix(dept, fileAnyway), "/")
	answerID, err = NormalizeID(answerID)
	if err != nil {
		return Reply{}, err
	}
	dep, err := d.Dir().Department(dept)
	if err != nil {
		return Reply{}, err
	}
	answer, err := d.Store.Request(ctx, answerID)
	if err != nil {
		return Reply{}, err
	}
	if err := d.MayView(ctx, user, answer); ErrorCode(err) == EFORBIDDEN || err == nil && !d.Dir().MaySeePrivate(user, answer) {
		return Reply{}, E(EFORBIDDEN, "deflect.err.cant_see", "ID", answer.ID)
	} else if err != nil {
		return Reply{}, err
	}
	if answer.State != Resolved && answer.State != Closed {
		return Reply{}, E(EINVALID, "deflect.err.no_answer_yet", "ID", answer.ID)
	}
	pf, err := rs.TakePendingFiling(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return Reply{}, E(ENOTFOUND, "deflect.err.gone")
	} else if err != nil {
		return Reply{}, err
	}
	if pf.Requester != user {
		if perr := rs.PutBackPendingFiling(ctx, pf); perr != nil {
			return Reply{}, perr
		}
		return Reply{}, E(EFORBIDDEN, "deflect.err.not_asker")
	}
	if d.Now().Sub(pf.CreatedAt) > PendingFilingTTL {
		return Reply{}, E(ENOTFOUND, "deflect.err.expired")
	}
	if pf.Form != nil {
		// A form's filing names its department itself; the button's
		// only repeats it.
		if kept := d.Dir().ByName(pf.Form.Dept); kept != nil {
			dep = kept
		}
	}
	s := SelfServed{PendingID: pf.ID, Dept: dep.Name, Requester: user, AnsweredBy: answer.ID, At: d.Now()}
	if err := x.RecordSelfServed(ctx, s); err != nil {
		if perr := rs.PutBackPendingFiling(ctx, pf); perr != nil {
			d.Log.ErrorContext(ctx, "put back pending filing", "user", user, "err", perr)
		}
		return Reply{}, fmt.Errorf("record self-served: %w", err)
	}
	p := d.Printer(user, dep)
	return Reply{Text: p.T("deflect.settled", "ID", answer.ID, "Dept", Escape(dep.DisplayName)), Lang: p.Lang()}, nil
}

// pendingID parses a pending filing's reference ("P42").
func pendingID(ref string) (int64, error) {
	var id int64
	if _, err := fmt.Sscanf(strings.ToUpper(strings.TrimSpace(ref)), "P%d", &id); err != nil || id <= 0 {
		return 0, E(EINVALID, "deflect.err.bad_ref", "Ref", strconv.Quote(ref))
	}
	return id, nil
}

// SaveAnswer marks resolved request id's resolution note as a saved
// answer, which SimilarAnswers shows first and which everyone may find
// and read (public.go). Only the department's staff (and admins) may. It
// returns ENOTFOUND, EFORBIDDEN, or EINVALID for a request not resolved,
// resolved without a note, or private. The reply offers to undo it.
func (d *Desk) SaveAnswer(ctx context.Context, user, id string) (Reply, error) {
	x, r, err := d.savedAnswerOf(ctx, user, ActSaveAnswer, id)
	if err != nil {
		return Reply{}, err
	}
	if r.Private {
		return Reply{}, E(EINVALID, "deflect.err.private", "ID", r.ID, "Staff", staffSub(d.Dir().ByName(r.Dept)))
	}
	if r.State != Resolved && r.State != Closed {
		return Reply{}, E(EINVALID, "deflect.err.not_resolved", "ID", r.ID)
	}
	evs, err := d.Store.Events(ctx, r.ID)
	if err != nil {
		return Reply{}, err
	}
	note := ""
	for _, ev := range evs {
		if ev.Kind == EvResolved {
			note = strings.TrimSpace(ev.Text)
		}
	}
	if note == "" {
		return Reply{}, E(EINVALID, "deflect.err.no_note", "ID", r.ID)
	}
	p := d.Printer(user, d.Dir().ByName(r.Dept))
	undo := []Button{{Label: p.T("deflect.unsave_button"), Action: ActUnsaveAnswer, RequestID: r.ID}}
	saved, err := d.savedAnswers(ctx, []*Request{r})
	if err != nil {
		return Reply{}, err
	}
	if saved[r.ID] {
		return Reply{Text: p.T("deflect.already_saved", "ID", r.ID), Buttons: undo, Lang: p.Lang()}, nil
	}
	if err := x.SaveAnswer(ctx, r.ID, user, d.Now()); err != nil {
		return Reply{}, err
	}
	return Reply{Text: p.T("deflect.saved", "ID", r.ID), Buttons: undo, Lang: p.Lang()}, nil
}

// UnsaveAnswer makes request id a saved answer no longer: it is no longer
// shown first nor public. The same people as SaveAnswer may; it returns
// ENOTFOUND or EFORBIDDEN, and says so when id was not saved.
func (d *Desk) UnsaveAnswer(ctx context.Context, user, id string) (Reply, error) {
	x, r, err := d.savedAnswerOf(ctx, user, ActUnsaveAnswer, id)
	if err != nil {
		return Reply{}, err
	}
	saved, err := d.savedAnswers(ctx, []*Request{r})
	if err != nil {
		return Reply{}, err
	}
	dep := d.Dir().ByName(r.Dept)
	p := d.Printer(user, dep)
	if !saved[r.ID] {
		return Reply{Text: p.T("deflect.not_saved", "ID", r.ID), Lang: p.Lang()}, nil
	}
	if err := x.UnsaveAnswer(ctx, r.ID); err != nil {
		return Reply{}, err
	}
	staff := staffSub(dep)
	who := p.T("deflect.who_staff", "Staff", errorRender(p, staff.Key, staff.Args))
	if d.Dir().PublicByDept(r) {
		who = p.T("deflect.who_public")
	}
	return Reply{Text: p.T("deflect.removed", "ID", r.ID, "Who", who), Lang: p.Lang()}, nil
}

// savedAnswerOf loads request id for act (saving or unsaving its answer)
// by user, who must be allowed it.
func (d *Desk) savedAnswerOf(ctx context.Context, user string, act Action, id string) (Deflection, *Request, error) {
	x, ok := d.deflection()
	if !ok {
		return nil, nil, E(EINVALID, "deflect.err.unavailable")
	}
	id, err := NormalizeID(id)
	if err != nil {
		return nil, nil, err
	}
	r, err := d.Store.Request(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := d.Dir().Authorize(user, act, r); err != nil {
		return nil, nil, err
	}
	return x, r, nil
}

// clipNote cuts a long resolution note to deflectNoteLen characters,
// saying so in p's words.
func clipNote(p *i18n.Printer, s string) string {
	rs := []rune(s)
	if len(rs) <= deflectNoteLen {
		return s
	}
	return string(rs[:deflectNoteLen]) + p.T("deflect.clipped")
}
