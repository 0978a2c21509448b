package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// getJSON reads path from the mock with a bearer token into v.
func getJSON(t *testing.T, baseURL, path, accept string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, baseURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-token")
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// A generated organization shows the same people in both APIs: each
// invitation's invitee is a PENDING user, and no one else is.
// So with dates relative to now.
func TestGeneratedOrgsPairInvitationsAndPendingUsers(t *testing.T) {
	for _, now := range []time.Time{{}, time.Now()} {
		t.Run(fmt.Sprintf("relative %v", !now.IsZero()), func(t *testing.T) { checkGeneratedPairs(t, now) })
	}
}

func checkGeneratedPairs(t *testing.T, now time.Time) {
	s := mockatlas.New()
	s.AddAccessToken("test-token")
	ids := addGenerated(s, 2, 25, 9, now)
	ts := s.Start()
	defer ts.Close()
	if len(ids) != 2 || ids[1] != mockatlas.GeneratedOrgID(1) {
		t.Fatalf("ids %v", ids)
	}
	for _, org := range ids {
		var invites []mockatlas.Invitation
		getJSON(t, ts.URL, "/api/atlas/v2/orgs/"+org+"/invites", mockatlas.MediaType, &invites)
		var page struct {
			Results []struct {
				Username, OrgMembershipStatus string
			} `json:"results"`
		}
		getJSON(t, ts.URL, "/api/atlas/v2/orgs/"+org+"/users?itemsPerPage=500&orgMembershipStatuses="+
			strings.Join(mockatlas.UserStatuses, "&orgMembershipStatuses="), mockatlas.UsersMediaType, &page)
		var invited, pending []string
		for _, inv := range invites {
			invited = append(invited, inv.Username)
		}
		others := 0
		for _, u := range page.Results {
			if u.OrgMembershipStatus == mockatlas.StatusPending {
				pending = append(pending, u.Username)
			} else {
				others++
			}
		}
		slices.Sort(invited)
		slices.Sort(pending)
		if len(invited) != 25 || !slices.Equal(invited, pending) || others != 9 {
			t.Errorf("%s: invitations %v\npending users %v\n%d others, want 9", org, invited, pending, others)
		}
		var o struct{ ID, Name string }
		getJSON(t, ts.URL, "/api/atlas/v2/orgs/"+org, mockatlas.MediaType, &o)
		if o.ID != org || o.Name != invites[0].OrgName {
			t.Errorf("%s: organization %+v, invitations name it %q", org, o, invites[0].OrgName)
		}
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-users", "-1"}, {"-addr", "0.0.0.0:0"}, {"-latency", "-1s"}} {
		var stderr bytes.Buffer
		if code := run(args, io.Discard, &stderr); code != 2 {
			t.Errorf("run %v = %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}
