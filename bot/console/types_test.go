package console_test

import (
	"strings"
	"testing"
)

// TestConsoleRequestTypes: the console's /ask lists the example company's
// request types, files a type with fields typed as name=value (a person
// by console handle), says which fields are missing, and keeps a private
// HR matter's words off HR's queue channel.
func TestConsoleRequestTypes(t *testing.T) {
	f := MustOpenConsole(t, sam)
	depts := f.run("/ask depts\n")
	for _, want := range []string{"Request types:", "`reimbursement`", "fields: amount (required), category (required), spent_on, approver", "`personal` (private: only the requester and HR see its text)"} {
		if !strings.Contains(depts, want) {
			t.Errorf("/ask depts lacks %q:\n%s", want, depts)
		}
	}
	missing := f.run("/ask finance expense taxi\n")
	if !strings.Contains(missing, "Amount (USD) is required.") || !strings.Contains(missing, "amount=42.50 category=travel") {
		t.Errorf("a reimbursement without fields answered:\n%s", missing)
	}
	filed := f.run(`/ask finance expense taxi from the airport amount=42.50 category=Travel approver=@fiona spent_on=2026-11-20` + "\n")
	for _, want := range []string{"Filed *FIN-1* with Finance (Reimbursement, normal priority): taxi from the airport",
		"Amount (USD): 42.50", "Category: travel", "Date spent: 2026-11-20", "Approved by: @fiona"} {
		if !strings.Contains(filed, want) {
			t.Errorf("filing lacks %q:\n%s", want, filed)
		}
	}
	private := f.run("/ask hr personal my payslip is missing the overtime\n")
	if !strings.Contains(private, "#hr-requests · card HR-1") {
		t.Fatalf("no HR card:\n%s", private)
	}
	_, card, _ := strings.Cut(private, "#hr-requests · card HR-1")
	if strings.Contains(card, "payslip") || !strings.Contains(card, "Private Personal matter request") {
		t.Errorf("HR's card shows the private text or not the type:\n%s", card)
	}
}
