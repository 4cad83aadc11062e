package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// Chinese in search (store/search_grams.go): a run of Han characters holds
// several words with no spaces between them, and a word searched for is
// found anywhere in a run, on both engines.

// fileChinese files the requests the Chinese search tests look for.
func fileChinese(t *testing.T, db *store.DB) {
	t.Helper()
	h := time.Hour
	mustCreate(t, db, "FIN", "finance", tess, "需要第三季度预算\n请财务部提供明细", t0, time.Time{}) // FIN-1
	mustCreate(t, db, "FIN", "finance", tess, "个税问题", t0.Add(h), time.Time{})        // FIN-2
	r := mustCreate(t, db, "IT", "it", tess, "VPN 连不上", t0.Add(2*h), time.Time{})    // IT-1
	say(t, db, r, bot.EvReplied, ivan, t0.Add(3*h), "请先重启电脑，再提交报销单")
	say(t, db, r, bot.EvResolved, ivan, t0.Add(4*h), "已重置账号密码")
	mustCreate(t, db, "IT", "it", tess, "VPN access for the new starter", t0.Add(5*h), time.Time{}) // IT-2
	mustCreate(t, db, "FIN", "finance", tess, "预算表模板", t0.Add(6*h), time.Time{})                    // FIN-3
}

func TestSearchFindsChineseWordsInsideARun(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		db := open(t)
		fileChinese(t, db)
		for _, c := range []struct {
			q    string
			want []string
		}{
			{"预算", []string{"FIN-3", "FIN-1"}}, // inside a run, and at its start
			{"第三季度", []string{"FIN-1"}},        // the pairs one after the other
			{"季度第三", nil},                      // the same pairs in another order
			{"税", []string{"FIN-2"}},           // one character, inside a run
			{"务", []string{"FIN-1"}},           // one character at the end of a run
			{"明细", []string{"FIN-1"}},          // the text after the title
			{"报销", []string{"IT-1"}},           // a reply
			{"重置", []string{"IT-1"}},           // the resolution note
			{"VPN 报销", []string{"IT-1"}},       // a Latin word and a Chinese one
			{"VPN报销", []string{"IT-1"}},        // the same, written together
			{"vpn", []string{"IT-2", "IT-1"}},  // Latin words as ever
			{"预算 税", nil},                      // every word
			{"第三季度預算", []string{"FIN-1"}},      // Traditional folded to Simplified
		} {
			if got := search(t, db, words(c.q), everyone, 0, 10); !reflect.DeepEqual(got, c.want) {
				t.Errorf("search %q = %v, want %v", c.q, got, c.want)
			}
		}
		// Any of the words (deflection's similar answers): either finds.
		q := words("预算 税")
		q.AnyWords = true
		if got := search(t, db, q, everyone, 0, 10); len(got) != 3 {
			t.Errorf("any of 预算 税 = %v, want FIN-1, FIN-2 and FIN-3", got)
		}
		// The snippet shows where the run was found.
		hits, err := db.SearchRequests(context.Background(), words("报销"), everyone, 0, 10)
		if err != nil || len(hits) != 1 || bot.Snippet(hits[0].Request, hits[0].Notes, bot.SearchWords("报销")) != "请先重启电脑，再提交报销单" {
			t.Errorf("snippet of 报销 from %+v, %v", hits, err)
		}
	})
}

func TestSearchChineseKeepsPrivateRequestsPrivate(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		db := open(t)
		createTyped(t, db, "HR", "hr", sam, "工资条有误", t0, true)
		mustCreate(t, db, "HR", "hr", tess, "工资条怎么下载", t0.Add(time.Hour), time.Time{})
		if got := search(t, db, words("工资"), bot.SearchScope{User: tess}, 0, 10); !reflect.DeepEqual(got, []string{"HR-2"}) {
			t.Errorf("tess found %v, want only her own HR-2", got)
		}
		if got := search(t, db, words("工资"), bot.SearchScope{User: sam}, 0, 10); !reflect.DeepEqual(got, []string{"HR-1"}) {
			t.Errorf("sam found %v, want only his own HR-1", got)
		}
		if got := search(t, db, words("有误"), everyone, 0, 10); got != nil {
			t.Errorf("an admin found %v: another's private request", got)
		}
		if got := search(t, db, words("工资"), bot.SearchScope{User: ivan, Depts: []string{"hr"}}, 0, 10); !reflect.DeepEqual(sorted(got), []string{"HR-1", "HR-2"}) {
			t.Errorf("HR's staff found %v, want both", got)
		}
	})
}

// A store migrated from before 0033 holding Chinese gets its grams worked
// out after migrating; a fill cut short after one batch goes on at the
// next open.
func TestSearchGramsFilledAfterMigrating(t *testing.T) {
	eachDatabase(t, func(t *testing.T, where string) {
		ctx := context.Background()
		db, err := store.Open(ctx, where)
		if err != nil {
			t.Fatal(err)
		}
		fileChinese(t, db)
		// The index as the migrations before 0033 built it from the
		// requests, then 0033, and one batch of the fill.
		if err := store.UnbuildSearch(db); err != nil {
			t.Fatal(err)
		}
		if err := store.MigrateSchema(db); err != nil {
			t.Fatal(err)
		}
		if n, err := store.SearchGramsToDo(db); err != nil || n != 4 {
			t.Fatalf("after migrating, %d rows (%v) lack grams, want the 4 holding Han", n, err)
		}
		if got := search(t, db, words("vpn"), everyone, 0, 10); !reflect.DeepEqual(sorted(got), []string{"IT-1", "IT-2"}) {
			t.Errorf("before the fill, vpn found %v", got)
		}
		if n, err := store.FillSearchGramsBatch(db, 1); err != nil || n != 1 {
			t.Fatalf("one batch filled %d, %v", n, err)
		}
		if n, err := store.SearchGramsToDo(db); err != nil || n != 3 {
			t.Fatalf("after one batch, %d rows (%v) lack grams, want 3", n, err)
		}
		db.Close()

		db, err = store.Open(ctx, where)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if n, err := store.SearchGramsToDo(db); err != nil || n != 0 {
			t.Fatalf("after reopening, %d rows (%v) lack grams", n, err)
		}
		for q, want := range map[string][]string{
			"预算": {"FIN-3", "FIN-1"}, "税": {"FIN-2"}, "报销": {"IT-1"}, "季度第三": nil, "vpn": {"IT-2", "IT-1"},
		} {
			if got := search(t, db, words(q), everyone, 0, 10); !reflect.DeepEqual(got, want) {
				t.Errorf("after the fill, search %q = %v, want %v", q, got, want)
			}
		}
		// A reply after the fill adds its grams to the row's.
		r, err := db.Request(ctx, "FIN-2")
		if err != nil {
			t.Fatal(err)
		}
		say(t, db, r, bot.EvReplied, ivan, t0.Add(9*time.Hour), "专项附加扣除")
		if got := search(t, db, words("附加"), everyone, 0, 10); !reflect.DeepEqual(got, []string{"FIN-2"}) {
			t.Errorf("a reply after the fill: 附加 found %v", got)
		}
	})
}

func sorted(ids []string) []string { return slices.Sorted(slices.Values(ids)) }
