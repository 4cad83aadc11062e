package catalog_test

import (
	"context"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/catalog"
)

// TestCatalogueKeepsTargetKindsAndWorkdays: a target in calendar time and
// extra working days published in Slack are stored as the department's
// TOML and come back as they were for a replica opening the store, on
// SQLite and PostgreSQL.
func TestCatalogueKeepsTargetKindsAndWorkdays(t *testing.T) {
	engines(t, func(t *testing.T, url string) {
		ctx := context.Background()
		cfg := parse(t, companyTOML)
		a := open(t, openDB(t, url), cfg, catalog.FromSlack)
		changes := map[string]string{
			"sla.normal.resolution": "24h calendar",
			"workdays":              "2026-02-14 10:00-12:00 stocktake Saturday\n2026-02-28",
		}
		if _, _, err := a.cat.Edit(ctx, fiona, "finance", changes, "year-end stocktake", "slack"); err != nil {
			t.Fatal(err)
		}
		b := open(t, openDB(t, url), cfg, catalog.FromSlack)
		dep := b.desk.Dir().ByName("finance")
		if got := dep.Target(bot.Normal).Resolution; got.Kind != bot.CalendarTime || got.String() != "24h calendar" {
			t.Errorf("resolution target in force: %+v", got)
		}
		wd := dep.Calendar.Workdays
		if len(wd) != 2 || wd["2026-02-14"].Name != "stocktake Saturday" || wd["2026-02-14"].Hours[0] != (bot.Span{Start: 600, End: 720}) ||
			wd["2026-02-28"].Hours[0] != (bot.Span{Start: 540, End: 1020}) {
			t.Errorf("extra working days in force: %+v", wd)
		}
	})
}
