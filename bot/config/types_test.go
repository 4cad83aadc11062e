package config_test

import (
	"reflect"
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

// typed is finance (lines 1-9) with two request types on lines 10-31.
const typed = finance + `
[[department.types]]
name = "reimbursement"
display_name = "Reimbursement"
aliases = ["expense"]
description = "Money back for what you paid"
sla.normal = { first_response = "1d", resolution = "5d" }

[[department.types.fields]]
name = "amount"
label = "Amount"
kind = "number"
required = true

[[department.types.fields]]
name = "category"
kind = "select"
options = ["travel", "meals"]

[[department.types]]
name = "payroll"
default = true
private = true
`

func TestTypes_Parsed(t *testing.T) {
	c, err := config.Parse("askdesk.toml", strings.NewReader(typed))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	fin := dir.ByName("finance")
	if len(fin.Types) != 2 {
		t.Fatalf("types = %+v", fin.Types)
	}
	re := fin.Type("expense")
	if re == nil || re.Name != "reimbursement" || re.Description != "Money back for what you paid" {
		t.Fatalf("Type(expense) = %+v", re)
	}
	if tg, ok := re.Target(bot.Normal); !ok || tg.Resolution != (bot.BusinessDuration{Days: 5}) {
		t.Errorf("reimbursement normal target = %+v, %v", tg, ok)
	}
	if _, ok := re.Target(bot.Urgent); ok {
		t.Error("reimbursement has an urgent target of its own; it gave none")
	}
	want := []bot.Field{
		{Name: "amount", Label: "Amount", Kind: bot.FieldNumber, Required: true},
		{Name: "category", Label: "Category", Kind: bot.FieldSelect, Options: []string{"travel", "meals"}},
	}
	if !reflect.DeepEqual(re.Fields, want) {
		t.Errorf("fields = %+v, want %+v", re.Fields, want)
	}
	if d := fin.DefaultType(); d == nil || d.Name != "payroll" || !d.Private || d.DisplayName != "Payroll" {
		t.Errorf("default type = %+v", d)
	}
}

// TestTypes_RoundTrip: a department's types marshalled as the catalogue
// stores them and parsed again are the same.
func TestTypes_RoundTrip(t *testing.T) {
	c, err := config.Parse("askdesk.toml", strings.NewReader(typed))
	if err != nil {
		t.Fatal(err)
	}
	b, err := toml.Marshal(struct {
		Department []config.DepartmentConfig `toml:"department"`
	}{c.Departments})
	if err != nil {
		t.Fatal(err)
	}
	again, err := config.Parse("again.toml", strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("parse the marshalled department: %v\n%s", err, b)
	}
	// The department's other keys are the catalogue's to round-trip; these
	// are the types'.
	if got, want := again.Departments[0].Types, c.Departments[0].Types; !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the types:\n%+v\nwant\n%+v\nTOML:\n%s", got, want, b)
	}
	if strings.Contains(string(b), "private = false") || strings.Contains(string(b), "required = false") {
		t.Errorf("unset keys written out:\n%s", b)
	}
}

// TestTypes_NoTypes: a department without types has none, and files as
// before.
func TestTypes_NoTypes(t *testing.T) {
	c, err := config.Parse("askdesk.toml", strings.NewReader(finance))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	if fin := dir.ByName("finance"); fin.Types != nil || fin.DefaultType() != nil {
		t.Errorf("types = %+v", fin.Types)
	}
}

func TestTypes_Problems(t *testing.T) {
	field := func(lines string) string {
		return finance + "[[department.types]]\nname = \"claim\"\n[[department.types.fields]]\n" + lines
	}
	many := finance
	for i := range bot.MaxTypes + 1 {
		many += "[[department.types]]\nname = \"t" + string(rune('a'+i)) + "\"\n"
	}
	for _, tc := range []struct {
		name string
		src  string
		line int
		key  string
		msg  string
	}{
		{"NoName", finance + "[[department.types]]\ndescription = \"x\"",
			10, "department[0].types[0].name", "required"},
		{"BadName", finance + "[[department.types]]\nname = \"Reimbursement\"",
			11, "department[0].types[0].name", "not a lower-case identifier"},
		{"DuplicateName", finance + "[[department.types]]\nname = \"a\"\n[[department.types]]\nname = \"a\"",
			13, "department[0].types[1].name", `"a" is already a name or alias of type "a"`},
		{"AliasClash", finance + "[[department.types]]\nname = \"a\"\n[[department.types]]\nname = \"b\"\naliases = [\"A\"]",
			14, "department[0].types[1].aliases[0]", `"A" is already a name or alias of type "a"`},
		{"TwoDefaults", finance + "[[department.types]]\nname = \"a\"\ndefault = true\n[[department.types]]\nname = \"b\"\ndefault = true",
			15, "department[0].types[1].default", "only one type"},
		{"BadTarget", finance + "[[department.types]]\nname = \"a\"\nsla.urgent = { first_response = \"1x\", resolution = \"1d\" }",
			12, "department[0].types[0].sla.urgent.first_response", `bad duration "1x"`},
		{"TooManyTypes", many,
			10, "department[0].types", "at most 20"},
		{"NoKind", field(`name = "amount"`),
			12, "department[0].types[0].fields[0].kind", "required: one of short_text, long_text, number, select, date, person"},
		{"BadKind", field("name = \"amount\"\nkind = \"money\""),
			14, "department[0].types[0].fields[0].kind", `"money" is not a field kind`},
		{"FieldName", field("name = \"the amount\"\nkind = \"number\""),
			13, "department[0].types[0].fields[0].name", "not a field name"},
		{"DuplicateField", field("name = \"a\"\nkind = \"number\"\n[[department.types.fields]]\nname = \"a\"\nkind = \"date\""),
			16, "department[0].types[0].fields[1].name", `a second field called "a"`},
		{"SelectWithoutOptions", field("name = \"a\"\nkind = \"select\""),
			12, "department[0].types[0].fields[0].options", "required for a select field"},
		{"OptionsOnText", field("name = \"a\"\nkind = \"short_text\"\noptions = [\"x\"]"),
			15, "department[0].types[0].fields[0].options", "only a select field has options"},
		{"DuplicateOption", field("name = \"a\"\nkind = \"select\"\noptions = [\"x\", \"X\"]"),
			15, "department[0].types[0].fields[0].options[1]", `"X" is given twice`},
		{"UnknownFieldKey", field("name = \"a\"\nkind = \"date\"\nmandatory = true"),
			15, "department[0].types[0].fields[0].mandatory", `unknown key`},
		{"IntakeDefaultRequiresFields", replaceLine(finance, 5, "channel = \"#finance\"\nintake_channels = [\"C0ASKFIN1\"]") +
			"[[department.types]]\nname = \"claim\"\ndefault = true\n[[department.types.fields]]\nname = \"amount\"\nkind = \"number\"\nrequired = true",
			13, "department[0].types[0].default", `requires amount, which a message filed by reaction`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probs := mustProblems(t, tc.src)
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(probs), probs)
			}
			p := probs[0]
			if p.Line != tc.line || p.Key != tc.key || !strings.Contains(p.Msg, tc.msg) {
				t.Errorf("got %s, want askdesk.toml:%d: %s: …%s…", p, tc.line, tc.key, tc.msg)
			}
		})
	}
	t.Run("TooManyFields", func(t *testing.T) {
		src := finance + "[[department.types]]\nname = \"claim\"\n"
		for i := range bot.MaxFields + 1 {
			src += "[[department.types.fields]]\nname = \"f" + string(rune('a'+i)) + "\"\nkind = \"date\"\n"
		}
		probs := mustProblems(t, src)
		if len(probs) != 1 || probs[0].Key != "department[0].types[0].fields" || !strings.Contains(probs[0].Msg, "at most 10") {
			t.Errorf("got %v", probs)
		}
	})
}
