package diagnostics

import "testing"

// A role is held where Atlas gives it: Project Owner in a project, the
// organization roles in the organization; the Atlas UI page follows.
func TestRoleScope(t *testing.T) {
	for _, tt := range []struct{ role, scope, page string }{
		{"Project Owner", "project", "Project Access Manager, Applications"},
		{"Organization Owner", "organization", "Organization Access Manager, Applications"},
		{"Organization Member", "organization", "Organization Access Manager, Applications"},
	} {
		if got := roleScope(tt.role); got != tt.scope {
			t.Errorf("roleScope(%q) = %q, want %q", tt.role, got, tt.scope)
		}
		if got := accessManager(tt.role); got != tt.page {
			t.Errorf("accessManager(%q) = %q, want %q", tt.role, got, tt.page)
		}
	}
}
