package mockatlas

import "encoding/json"

// userRow is a User as Atlas serialises one: which fields it carries
// depends on the membership status.
type userRow struct {
	ID                  string          `json:"id,omitempty"`
	Username            string          `json:"username,omitempty"`
	OrgMembershipStatus string          `json:"orgMembershipStatus,omitempty"`
	Roles               UserRoles       `json:"roles"`
	TeamIDs             []string        `json:"teamIds,omitempty"`
	InviterUsername     string          `json:"inviterUsername,omitempty"`
	InvitationCreatedAt string          `json:"invitationCreatedAt,omitempty"`
	InvitationExpiresAt string          `json:"invitationExpiresAt,omitempty"`
	CreatedAt           string          `json:"createdAt,omitempty"`
	LastAuth            string          `json:"lastAuth,omitempty"`
	FirstName           string          `json:"firstName,omitempty"`
	LastName            string          `json:"lastName,omitempty"`
	Country             string          `json:"country,omitempty"`
	MobileNumber        json.RawMessage `json:"mobileNumber,omitempty"`
}

// jsonNull is the mobileNumber of an ACTIVE user without one.
var jsonNull = json.RawMessage("null")

// MarshalJSON serialises u as Atlas does. An invitation's row (PENDING,
// INVITATION_EXPIRED, INVITATION_REJECTED) holds only id, username,
// orgMembershipStatus, roles, teamIds and the invitation's inviterUsername,
// invitationCreatedAt and invitationExpiresAt; a member's row (ACTIVE) none
// of the invitation fields, and always mobileNumber, null when u has none:
// Atlas sends null there although its OpenAPI document declares a
// non-nullable string. A row of any other status has every field set.
func (u User) MarshalJSON() ([]byte, error) {
	row := userRow{
		ID: u.ID, Username: u.Username, OrgMembershipStatus: u.OrgMembershipStatus, Roles: u.Roles, TeamIDs: u.TeamIDs,
		InviterUsername: u.InviterUsername, InvitationCreatedAt: u.InvitationCreatedAt, InvitationExpiresAt: u.InvitationExpiresAt,
		CreatedAt: u.CreatedAt, LastAuth: u.LastAuth, FirstName: u.FirstName, LastName: u.LastName, Country: u.Country,
	}
	if u.MobileNumber != "" {
		b, err := json.Marshal(u.MobileNumber)
		if err != nil {
			return nil, err
		}
		row.MobileNumber = b
	}
	switch u.OrgMembershipStatus {
	case StatusActive:
		row.InviterUsername, row.InvitationCreatedAt, row.InvitationExpiresAt = "", "", ""
		if row.MobileNumber == nil {
			row.MobileNumber = jsonNull
		}
	case StatusPending, StatusInvitationExpired, StatusInvitationRejected:
		row.CreatedAt, row.LastAuth, row.FirstName, row.LastName, row.Country = "", "", "", "", ""
		row.MobileNumber = nil
	}
	return json.Marshal(row)
}
