package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

const secret = "salary-of-frank-9731"

// withTypes gives Finance a private type and one with fields.
func withTypes(tb testing.TB, f *fixture) {
	tb.Helper()
	dir := testDir(tb)
	dir.ByName("finance").Types = []*bot.RequestType{
		{Name: "reimbursement", DisplayName: "Reimbursement", Default: true,
			Targets: map[bot.Priority]bot.Target{bot.Normal: {FirstResponse: bot.BusinessDuration{Time: 10 * time.Minute}, Resolution: bot.BusinessDuration{Time: time.Hour}}},
			Fields:  []bot.Field{{Name: "amount", Label: "Amount", Kind: bot.FieldNumber}, {Name: "note", Label: "Note", Kind: bot.FieldShortText}}},
		{Name: "payroll", DisplayName: "Payroll question", Private: true,
			Fields: []bot.Field{{Name: "employee", Label: "Employee", Kind: bot.FieldShortText}}},
	}
	dir.Index()
	f.Desk.SetDir(dir)
}

// TestPrivateTypeKeptOutOfDigest: an overdue private request is among the
// worst breaches of Finance's weekly digest by its ID and type, and nothing
// posted for the digest carries its words.
func TestPrivateTypeKeptOutOfDigest(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	r, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "payroll", Text: "my pay " + secret,
		Fields: map[string]string{"employee": "emp " + secret}, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.Sent(t)
	f.at(t, "2026-11-30 09:00") // the week is over; the request long overdue
	fin := f.Desk.Dir().ByName("finance")
	posted, dg, err := report.PostDigest(f.Ctx, f.Desk, f.DB, fin, report.ISOWeek{}, "", nil, nil)
	if err != nil || !posted {
		t.Fatalf("digest posted %v, %v", posted, err)
	}
	msgs := f.Sent(t)
	if len(msgs) == 0 {
		t.Fatal("the digest was not sent")
	}
	text := dg.Text()
	for _, m := range msgs {
		text += "\n" + m.Text
	}
	if strings.Contains(text, secret) || strings.Contains(text, "my pay") {
		t.Errorf("the digest carries the private request's words:\n%s", text)
	}
	if !strings.Contains(text, r.ID) || !strings.Contains(text, "Private Payroll question request") {
		t.Errorf("the digest does not name the overdue private request by ID and type:\n%s", text)
	}
}

// TestExportTypesAndPrivacy: the requests export gives each request's
// type, privacy and fields (one JSON column), and leaves a private
// request's title, text and fields empty there and in its events.
func TestExportTypesAndPrivacy(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Text: "taxi", Fields: map[string]string{"amount": "42.50", "note": `say "hi"`}, Source: "test"}); err != nil {
		t.Fatal(err)
	}
	p, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "payroll", Text: "my pay " + secret,
		Fields: map[string]string{"employee": "emp " + secret}, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.Do(t, frank, bot.ActReply, p.ID, "about "+secret)
	f.Do(t, frank, bot.ActResolve, p.ID, "done "+secret)
	if _, err := f.Desk.Rate(f.Ctx, sam, p.ID, "4"); err != nil {
		t.Fatal(err)
	}
	if ok, err := f.Desk.CommentRating(f.Ctx, sam, p.ID, "thanks for sorting my "+secret); err != nil || !ok {
		t.Fatalf("comment: %v, %v", ok, err)
	}
	ex := report.NewExporter(f.Desk.Dir(), f.Desk.Now().Add(time.Hour))
	for _, table := range []string{"requests", "events", "ratings"} {
		var b bytes.Buffer
		cols := map[string][]string{"requests": report.RequestColumns, "events": report.EventColumns, "ratings": report.RatingColumns}[table]
		w, err := report.NewRecordWriter(&b, "jsonl", cols)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ex.Export(f.Ctx, f.DB, table, time.Time{}, time.Time{}, w); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, p.ID) {
			t.Errorf("%s export lacks %s:\n%s", table, p.ID, out)
		}
		if strings.Contains(out, secret) || strings.Contains(out, "my pay") {
			t.Errorf("%s export carries the private request's words:\n%s", table, out)
		}
		if table == "requests" {
			for _, want := range []string{`"type":"reimbursement","private":false,"fields":"{\"amount\":\"42.50\",\"note\":\"say \\\"hi\\\"\"}"`,
				`"type":"payroll","private":true,"fields":""`,
				// The reimbursement runs on its type's targets (10m / 1h), the
				// payroll question on Finance's (4h / 2d).
				`"first_response_target_s":600,`, `"resolution_target_s":3600,`,
				`"first_response_target_s":14400,`} {
				if !strings.Contains(out, want) {
					t.Errorf("requests export lacks %s:\n%s", want, out)
				}
			}
		}
	}
}

// TestPrivateRequestInAChineseDigest: Finance and the company read
// Chinese; the overdue private request stands in both digests as a
// private request of its type, said in Chinese.
func TestPrivateRequestInAChineseDigest(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	f.Desk.Dir().Language = "zh-Hans"
	f.Desk.Dir().ByName("finance").Types[1].DisplayName = "工资问题"
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "payroll", Text: "my pay " + secret, Source: "test"}); err != nil {
		t.Fatal(err)
	}
	f.Sent(t)
	f.at(t, "2026-11-30 09:00")
	want := "◦ *FIN-1* 私密请求（工资问题）："
	for _, dep := range []*bot.Department{f.Desk.Dir().ByName("finance"), nil} {
		to := "#service-desk"
		if dep != nil {
			to = dep.Channel
		}
		if posted, _, err := report.PostDigest(f.Ctx, f.Desk, f.DB, dep, report.ISOWeek{}, "#service-desk", time.UTC, nil); err != nil || !posted {
			t.Fatalf("digest posted %v, %v", posted, err)
		}
		msgs := f.Sent(t)
		if len(msgs) != 1 || msgs[0].Lang != "zh-Hans" || !strings.Contains(msgs[0].Text, want) || strings.Contains(msgs[0].Text, "Private") {
			t.Errorf("digest to %s lacks %q:\n%+v", to, want, msgs)
		}
	}
}
