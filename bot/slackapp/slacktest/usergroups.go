package slacktest

import "slices"

// Usergroup is a user group the fake knows, for usergroups.list and
// usergroups.users.list.
type Usergroup struct {
	ID      string // "S0123ABCD"
	Handle  string // "finance-team", without the @
	Name    string
	Members []string
}

// SetUsergroup adds or replaces a user group. Calls for an unknown ID get
// no_such_subteam, as Slack answers.
func (s *Server) SetUsergroup(g Usergroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.usergroups == nil {
		s.usergroups = map[string]Usergroup{}
	}
	g.Members = slices.Clone(g.Members)
	s.usergroups[g.ID] = g
	s.broadcastLocked()
}

// SetProfileField sets a custom profile field of user (by the field's ID,
// "Xf0123ABCD"), or the standard "title", for users.profile.get.
func (s *Server) SetProfileField(user, field, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.profileFields == nil {
		s.profileFields = map[string]map[string]string{}
	}
	if s.profileFields[user] == nil {
		s.profileFields[user] = map[string]string{}
	}
	s.profileFields[user][field] = value
	s.broadcastLocked()
}

// usergroupsList answers as Slack does: every group, with the keys and JSON
// types of a live answer (user_count a number, though Slack's documented
// example has a string), members only with include_users.
func (s *Server) usergroupsList(c *Call) (result, string) {
	ids := make([]string, 0, len(s.usergroups))
	for id := range s.usergroups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	list := []map[string]any{}
	for _, id := range ids {
		g := s.usergroups[id]
		item := map[string]any{
			"id": g.ID, "team_id": TeamID, "is_usergroup": true, "name": g.Name, "description": "",
			"handle": g.Handle, "is_external": false, "date_create": 1446598059, "date_update": 1446670362,
			"date_delete": 0, "auto_type": nil, "created_by": "U060RNRCZ", "updated_by": "U060RNRCZ",
			"deleted_by": nil, "prefs": map[string]any{"channels": []string{}, "groups": []string{}},
			"user_count": len(g.Members),
		}
		if c.Params.Get("include_users") == "true" {
			item["users"] = g.Members
		}
		list = append(list, item)
	}
	return result{"usergroups": list}, ""
}

func (s *Server) usergroupsUsersList(c *Call) (result, string) {
	g, ok := s.usergroups[c.Params.Get("usergroup")]
	if !ok {
		return nil, "no_such_subteam"
	}
	users := g.Members
	if users == nil {
		users = []string{}
	}
	return result{"users": users}, ""
}

// usersProfileGet answers a known user's profile with the fields set by
// SetProfileField; "fields" is [] when there are none, as Slack sends it.
func (s *Server) usersProfileGet(c *Call) (result, string) {
	u, ok := s.users[c.Params.Get("user")]
	if !ok {
		return nil, "user_not_found"
	}
	profile := map[string]any{
		"real_name": u.RealName, "display_name": u.Name, "real_name_normalized": u.RealName,
		"display_name_normalized": u.Name, "team": TeamID, "title": s.profileFields[u.ID]["title"],
	}
	fields := map[string]any{}
	for id, v := range s.profileFields[u.ID] {
		if id != "title" {
			fields[id] = map[string]any{"value": v, "alt": ""}
		}
	}
	if len(fields) == 0 {
		profile["fields"] = []any{}
	} else {
		profile["fields"] = fields
	}
	return result{"profile": profile}, ""
}
