// Package report is askdesk's analytics: the weekly digest and its
// posting, scorecards for a period, the relationship map (/ask map and
// askdesk map) and the exports for BI. It reads the domain in bot and the
// store through the narrow interfaces declared here (Reports, RatingRows,
// SurveyReports, RatingReports, ExportSource), which store implements;
// bot does not import it. The one way in from the desk is Desk.Map, which
// cmd/askdesk sets to MapCommand.
package report
