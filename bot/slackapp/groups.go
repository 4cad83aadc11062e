package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
)

// Departments' Slack user groups, kept in step with Slack: read whole with
// usergroups.users.list at start and periodically (SyncGroups), and again
// when Slack says a group changed (subteam_members_changed,
// subteam_updated). What is read goes to the store, so every replica and
// restart sees it, and the desk puts it in force.

// SyncGroups reads the members of every user group a department names and
// puts them in force. A group Slack does not know is logged and left as
// last read; the first error of a call is returned after the others are
// tried.
func (a *App) SyncGroups(ctx context.Context) error {
	// One read of the groups at a time, in order: a read that began
	// earlier (the start's) must not store its older answer over a later
	// one (an event's).
	a.groupsMu.Lock()
	defer a.groupsMu.Unlock()
	names := a.desk.Usergroups()
	if len(names) == 0 {
		return nil
	}
	if err := a.paced("usergroups.list", ""); err != nil {
		return err
	}
	all, err := a.api.GetUserGroupsContext(ctx)
	if err != nil {
		return fmt.Errorf("usergroups.list: %w", classify(err))
	}
	var first error
	for _, name := range names {
		i := slices.IndexFunc(all, func(g slack.UserGroup) bool {
			return bot.Group{ID: g.ID, Handle: g.Handle}.Names(name)
		})
		if i < 0 {
			a.log.WarnContext(ctx, "user group not found in Slack: the department has only the staff its config lists", "usergroup", name)
			continue
		}
		if err := a.syncGroup(ctx, all[i].ID, all[i].Handle); err != nil && first == nil {
			first = err
		}
	}
	return errors.Join(first, a.loadGroups(ctx))
}

// syncGroup reads one group's members and stores them.
func (a *App) syncGroup(ctx context.Context, id, handle string) error {
	if err := a.paced("usergroups.users.list", ""); err != nil {
		return err
	}
	members, err := a.api.GetUserGroupMembersContext(ctx, id)
	if err != nil {
		return fmt.Errorf("usergroups.users.list %s: %w", id, classify(err))
	}
	return a.desk.SetGroup(ctx, bot.Group{ID: id, Handle: handle, Members: members, SyncedAt: a.clock.Now()})
}

// loadGroups puts the stored groups in force and logs each department
// whose group has no members known yet.
func (a *App) loadGroups(ctx context.Context) error {
	missing, err := a.desk.LoadGroups(ctx)
	for _, m := range missing {
		a.log.WarnContext(ctx, "department without its user group's members: only its listed staff work it until Slack says who is in the group", "detail", m)
	}
	return err
}

// subteamEvent is what askdesk reads of subteam_members_changed and
// subteam_updated, decoded leniently: Slack's documented examples give
// counts as strings, which slack-go's types refuse.
type subteamEvent struct {
	Type      string `json:"type"`
	SubteamID string `json:"subteam_id"` // subteam_members_changed
	Subteam   struct {
		ID     string   `json:"id"`
		Handle string   `json:"handle"`
		Users  []string `json:"users"`
	} `json:"subteam"` // subteam_updated
}

// groupEvent acts on a user group event, reported by its inner event's
// type; it returns false for any other event. The group is read again
// whole (the event's own list of members is not always complete), and
// only if a department names it.
func (a *App) groupEvent(ctx context.Context, inner json.RawMessage) bool {
	var e subteamEvent
	if json.Unmarshal(inner, &e) != nil || !strings.HasPrefix(e.Type, "subteam_") {
		return false
	}
	id := e.SubteamID
	if id == "" {
		id = e.Subteam.ID
	}
	if e.Type != "subteam_members_changed" && e.Type != "subteam_updated" || id == "" {
		return true // another subteam event: nothing askdesk keeps
	}
	a.goFrom(ctx, func(ctx context.Context) {
		handle, ours := a.ourGroup(ctx, id, e.Subteam.Handle)
		if !ours {
			return
		}
		a.groupsMu.Lock()
		err := a.syncGroup(ctx, id, handle)
		if err == nil {
			err = a.loadGroups(ctx)
		}
		a.groupsMu.Unlock()
		if err != nil {
			a.log.ErrorContext(ctx, "user group change not taken; the next periodic sync takes it", "usergroup", id, "err", err)
		}
	})
	return true
}

// ourGroup reports whether a department names group id (by ID, or by a
// handle: the event's, or the one stored), and the group's handle.
func (a *App) ourGroup(ctx context.Context, id, handle string) (string, bool) {
	if handle == "" {
		for _, g := range a.desk.Groups() {
			if g.ID == id {
				handle = g.Handle
			}
		}
	}
	g := bot.Group{ID: id, Handle: handle}
	return handle, slices.ContainsFunc(a.desk.Usergroups(), g.Names)
}

// ProfileDept implements bot.ProfileFinder: the profile field the config
// names ([slack] department_field: a custom field's ID, or "title"), read
// with users.profile.get.
func (a *App) ProfileDept(ctx context.Context, user string) (string, error) {
	field := a.cfg.DepartmentField
	if field == "" {
		return "", nil
	}
	if err := a.paced("users.profile.get", ""); err != nil {
		return "", err
	}
	p, err := a.api.GetUserProfileContext(ctx, &slack.GetUserProfileParameters{UserID: user})
	if err != nil {
		return "", fmt.Errorf("users.profile.get: %w", classify(err))
	}
	if field == "title" {
		return p.Title, nil
	}
	return p.FieldsMap()[field].Value, nil
}
