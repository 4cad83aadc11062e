package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// The secret words of private requests in these tests: none may reach a
// channel.
const secret = "salary-of-frank-9731"

// withTypes gives the test company's Finance three request types: budget
// (the default, no fields), reimbursement (fields, its own normal targets)
// and payroll (private, one field); IT keeps none.
func withTypes(tb testing.TB, f *fixture) {
	tb.Helper()
	dir := testDir(tb)
	fin := dir.ByName("finance")
	fin.Types = []*bot.RequestType{
		{Name: "budget", DisplayName: "Budget figures", Aliases: []string{"figures"}, Default: true},
		{Name: "reimbursement", DisplayName: "Reimbursement", Aliases: []string{"expense"},
			Targets: map[bot.Priority]bot.Target{bot.Normal: {FirstResponse: bot.BusinessDuration{Days: 1}, Resolution: bot.BusinessDuration{Days: 5}}},
			Fields: []bot.Field{
				{Name: "amount", Label: "Amount", Kind: bot.FieldNumber, Required: true},
				{Name: "date", Label: "Date spent", Kind: bot.FieldDate},
				{Name: "category", Label: "Category", Kind: bot.FieldSelect, Options: []string{"travel", "meals", "client entertainment"}},
				{Name: "approver", Label: "Approver", Kind: bot.FieldPerson},
			}},
		{Name: "payroll", DisplayName: "Payroll question", Private: true,
			Fields: []bot.Field{{Name: "employee", Label: "Employee", Kind: bot.FieldShortText, Required: true}}},
	}
	dir.Index()
	f.Desk.SetDir(dir)
}

func TestFileByTypeWord(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	for _, tc := range []struct {
		name, line, typ, title string
		fields                 []bot.FieldValue
	}{
		{"DefaultWhenNoneNamed", "finance need the Q3 numbers", "budget", "need the Q3 numbers", nil},
		{"ByName", "finance reimbursement lunch with client amount=42.50", "reimbursement", "lunch with client",
			[]bot.FieldValue{{Name: "amount", Value: "42.50"}}},
		{"ByAliasOfDeptAndType", "fin expense taxi amount=1,200 date=2026-11-20 !urgent", "reimbursement", "taxi",
			[]bot.FieldValue{{Name: "amount", Value: "1200"}, {Name: "date", Value: "2026-11-20"}}},
		{"QuotedValueAndPerson", `finance reimbursement category="Client Entertainment" approver=@fiona dinner amount=80`, "reimbursement", "dinner",
			[]bot.FieldValue{{Name: "amount", Value: "80"}, {Name: "category", Value: "client entertainment"}, {Name: "approver", Value: fiona}}},
		{"MultiWordDisplayName", "finance budget figures for the board", "budget", "for the board", nil},
		{"WordsThatAreNoFieldStay", "finance budget x=1 please", "budget", "x=1 please", nil},
		{"NoTypesInIT", "it laptop broken", "", "laptop broken", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := f.Desk.Command(f.Ctx, sam, tc.line)
			r := rep.Request
			if r == nil {
				t.Fatalf("not filed: %s", rep.Text)
			}
			got, err := f.Desk.Request(f.Ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Type != tc.typ || got.Title != tc.title || !equalFields(got.Fields, tc.fields) {
				t.Errorf("filed type %q title %q fields %+v; want %q %q %+v", got.Type, got.Title, got.Fields, tc.typ, tc.title, tc.fields)
			}
		})
	}
}

func equalFields(a, b []bot.FieldValue) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestMissingRequiredFieldSaysWhichAndHow: a slash command without a
// required field files nothing, and the reply names the field, shows how
// to type it and points to the form.
func TestMissingRequiredFieldSaysWhichAndHow(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	rep := f.Desk.Command(f.Ctx, sam, "finance reimbursement lunch with client 42.50")
	if rep.Request != nil {
		t.Fatalf("filed %s without its amount", rep.Request.ID)
	}
	for _, want := range []string{"Amount is required", "amount=42.50", "`/ask` alone", "/ask finance reimbursement amount=42.50"} {
		if !strings.Contains(rep.Text, want) {
			t.Errorf("reply lacks %q:\n%s", want, rep.Text)
		}
	}
	for _, tc := range []struct{ line, want string }{
		{"finance reimbursement taxi amount=lots", "Amount must be a number"},
		{"finance reimbursement taxi amount=3 date=20/11/2026", "Date spent must be a date"},
		{"finance reimbursement taxi amount=3 category=golf", "Category must be one of: travel, meals, client entertainment"},
		{"finance reimbursement taxi amount=3 approver=nobody", "Approver must be a person"},
		{"finance payroll", "Please say what you need"},
	} {
		if rep := f.Desk.Command(f.Ctx, sam, tc.line); rep.Request != nil || !strings.Contains(rep.Text, tc.want) {
			t.Errorf("%q: filed %v, reply %q; want it refused with %q", tc.line, rep.Request != nil, rep.Text, tc.want)
		}
	}
	// A filing through the desk (a form, the console) with an unknown type
	// or field is refused too.
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "golf", Text: "x"}); bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(bot.ErrorMessage(err), "budget, reimbursement, payroll") {
		t.Errorf("unknown type: %v", err)
	}
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "budget", Text: "x", Fields: map[string]string{"colour": "red"}}); bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(bot.ErrorMessage(err), "no field “colour”") {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "it", Type: "access", Text: "x"}); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("a type in a department without types: %v", err)
	}
}

// TestTypeTargetsOverrideDepartment: a reimbursement's normal targets are
// its type's (1 working day / 5), its urgent ones Finance's (30m / 4h), and
// a budget request's Finance's normal ones (4h / 2d).
func TestTypeTargetsOverrideDepartment(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	fin := f.Desk.Dir().ByName("finance")
	for _, tc := range []struct {
		line        string
		first, res  bot.BusinessDuration
		explainWant string
	}{
		{"finance reimbursement taxi amount=3", bot.BusinessDuration{Days: 1}, bot.BusinessDuration{Days: 5}, "Target: 5 working days for normal priority, Reimbursement's own,"},
		{"finance reimbursement taxi amount=3 !urgent", bot.BusinessDuration{Time: 30 * time.Minute}, bot.BusinessDuration{Time: 4 * time.Hour}, "Target: 4 business hours for urgent priority."},
		{"finance budget the Q3 numbers", bot.BusinessDuration{Time: 4 * time.Hour}, bot.BusinessDuration{Days: 2}, "Target: 2 working days for normal priority,"},
	} {
		r := f.Desk.Command(f.Ctx, sam, tc.line).Request
		if r == nil {
			t.Fatalf("%q not filed", tc.line)
		}
		now := f.Desk.Now()
		wantFirst := fin.Calendar.Deadline(now, tc.first)
		wantRes := fin.Calendar.Deadline(now, tc.res)
		if !r.FirstResponseDue.Equal(wantFirst) || !r.ResolutionDue.Equal(wantRes) {
			t.Errorf("%q: due %s / %s, want %s / %s", tc.line, r.FirstResponseDue, r.ResolutionDue, wantFirst, wantRes)
		}
		if st := f.Desk.Command(f.Ctx, sam, "status "+r.ID).Text; !strings.Contains(st, tc.explainWant) {
			t.Errorf("%q: status does not say %q:\n%s", tc.line, tc.explainWant, st)
		}
	}
}

// TestPrivateTypeTextNeverReachesQueueChannel files a private request and
// takes it through replies, comments, a reopening with a reason, the
// reminder sweep's warnings and escalations and a transfer with a reason:
// no message to a channel carries its text, title or fields, while the
// requester's DMs and the department's /ask status and queue do. An admin
// outside Finance sees only its type, ID and status.
func TestPrivateTypeTextNeverReachesQueueChannel(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	rep := f.Desk.Command(f.Ctx, sam, "finance payroll why was my pay short "+secret+" employee=emp-"+secret)
	r := rep.Request
	if r == nil {
		t.Fatalf("not filed: %s", rep.Text)
	}
	if !r.Private || !strings.Contains(rep.Text, "It is private") {
		t.Errorf("filed private %v; reply %q", r.Private, rep.Text)
	}
	var channel, dms []bot.Message
	take := func() {
		for _, m := range f.Sent(t) {
			if m.DM {
				dms = append(dms, m)
			} else {
				channel = append(channel, m)
			}
		}
	}
	take()
	f.Do(t, frank, bot.ActReply, r.ID, "about "+secret+"?")
	take()
	f.Do(t, sam, bot.ActReply, r.ID, "yes "+secret) // the requester's reply is a comment
	take()
	f.Do(t, frank, bot.ActResolve, r.ID, "fixed "+secret)
	take()
	f.Do(t, sam, bot.ActReopen, r.ID, "still short "+secret)
	take()
	// A week later every reminder and escalation has come due.
	f.Clock.Set(f.Clock.Now().Add(7 * 24 * time.Hour))
	f.sweep(t)
	take()
	if _, err := f.Desk.Do(f.Ctx, bot.Act{Actor: fiona, Action: bot.ActTransfer, ID: r.ID, Target: "it", Text: "IT owns payroll " + secret}); err != nil {
		t.Fatal(err)
	}
	take()

	if len(channel) < 5 {
		t.Fatalf("only %d channel messages; the test should see cards, thread lines and reminders", len(channel))
	}
	sawCard := false
	for _, m := range channel {
		all := m.Text + " " + m.Change
		if m.Card != nil {
			all += " " + m.Card.Request.Title + " " + m.Card.Request.Text + " " + strings.Join(m.Card.Fields, " ")
			sawCard = true
			if m.Card.Type != "Payroll question" || !m.Card.Private {
				t.Errorf("card in %s: type %q private %v", m.To, m.Card.Type, m.Card.Private)
			}
		}
		for _, leak := range []string{secret, "pay short", "Employee"} {
			if strings.Contains(all, leak) {
				t.Errorf("%s heard %q: %s", m.To, leak, all)
			}
		}
	}
	if !sawCard {
		t.Error("no card was drawn")
	}
	requesterSaw := false
	for _, m := range dms {
		if m.To == sam && strings.Contains(m.Text, secret) {
			requesterSaw = true
		}
	}
	if !requesterSaw {
		t.Errorf("the requester's DMs never carried the text: %+v", dms)
	}

	// Back in Finance, where its members see it all and an admin does not.
	f.Do(t, ada, bot.ActTransfer, r.ID, "finance")
	f.Sent(t)
	if st := f.Desk.Command(f.Ctx, frank, "status "+r.ID).Text; !strings.Contains(st, secret) || !strings.Contains(st, "Employee: emp-"+secret) {
		t.Errorf("a Finance member's status lacks the text or fields:\n%s", st)
	}
	if q := f.Desk.Command(f.Ctx, frank, "queue finance").Text; !strings.Contains(q, secret) {
		t.Errorf("a Finance member's queue lacks the title:\n%s", q)
	}
	if st := f.Desk.Command(f.Ctx, sam, "status "+r.ID).Text; !strings.Contains(st, secret) {
		t.Errorf("the requester's status lacks the text:\n%s", st)
	}
	for _, cmd := range []string{"status " + r.ID, "queue finance"} {
		out := f.Desk.Command(f.Ctx, ada, cmd).Text
		if strings.Contains(out, secret) || !strings.Contains(out, "Private Payroll question request") {
			t.Errorf("admin's %s shows the text or not the type:\n%s", cmd, out)
		}
	}
}

func TestFieldParse(t *testing.T) {
	dir := testDir(t)
	for _, tc := range []struct {
		kind    bot.FieldKind
		in, out string
		ok      bool
	}{
		{bot.FieldNumber, "42.50", "42.50", true},
		{bot.FieldNumber, "1,200", "1200", true},
		{bot.FieldNumber, "-3", "-3", true},
		{bot.FieldNumber, "NaN", "", false},
		{bot.FieldNumber, "1e9", "", false},
		{bot.FieldNumber, "$4", "", false},
		{bot.FieldDate, "2026-02-28", "2026-02-28", true},
		{bot.FieldDate, "2026-02-30", "", false},
		{bot.FieldDate, "tomorrow", "", false},
		{bot.FieldSelect, "MEALS", "meals", true},
		{bot.FieldSelect, "golf", "", false},
		{bot.FieldPerson, "<@U0FIONA|fiona>", fiona, true},
		{bot.FieldPerson, "@frank", frank, true},
		{bot.FieldPerson, "U0NEWBIE1", "U0NEWBIE1", true},
		{bot.FieldPerson, "someone", "", false},
		{bot.FieldShortText, "one line", "one line", true},
		{bot.FieldShortText, "two\nlines", "", false},
		{bot.FieldShortText, strings.Repeat("x", bot.MaxShortTextLen+1), "", false},
		{bot.FieldLongText, "two\nlines", "two\nlines", true},
	} {
		f := bot.Field{Name: "f", Label: "F", Kind: tc.kind, Options: []string{"travel", "meals"}}
		got, err := f.Parse(dir, tc.in)
		if (err == nil) != tc.ok || got != tc.out {
			t.Errorf("%s %q = %q, %v; want %q ok=%v", tc.kind, tc.in, got, err, tc.out, tc.ok)
		}
	}
}

func TestExtractFields(t *testing.T) {
	dep := &bot.Department{Name: "finance", Types: []*bot.RequestType{{Name: "claim", Fields: []bot.Field{
		{Name: "amount", Kind: bot.FieldNumber}, {Name: "purpose", Kind: bot.FieldShortText}}}}}
	for _, tc := range []struct {
		in, text string
		fields   map[string]string
	}{
		{"taxi amount=4", "taxi", map[string]string{"amount": "4"}},
		{`purpose="client lunch" lunch`, "lunch", map[string]string{"purpose": "client lunch"}},
		{"purpose=“client lunch” lunch", "lunch", map[string]string{"purpose": "client lunch"}},
		{"AMOUNT=4 taxi", "taxi", map[string]string{"amount": "4"}},
		{"e=mc2 and x==y", "e=mc2 and x==y", nil},
		{"first line amount=4\nsecond  line", "first line\nsecond line", map[string]string{"amount": "4"}},
		{"no fields\n  kept  as typed", "no fields\n  kept  as typed", nil},
		{`purpose="unclosed`, "", map[string]string{"purpose": "unclosed"}},
	} {
		fields, text := bot.ExtractFields(dep, nil, tc.in)
		if text != tc.text || len(fields) != len(tc.fields) {
			t.Errorf("%q: fields %v text %q; want %v %q", tc.in, fields, text, tc.fields, tc.text)
			continue
		}
		for k, v := range tc.fields {
			if fields[k] != v {
				t.Errorf("%q: %s = %q, want %q", tc.in, k, fields[k], v)
			}
		}
	}
}
