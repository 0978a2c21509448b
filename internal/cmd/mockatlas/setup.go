package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The extra API key -readonly-key adds. Not a real credential.
const (
	readOnlyPublicKey  = "demoread"
	readOnlyPrivateKey = "00000000-0000-4000-8000-0000000000ad"
)

// options are what the flags ask of the mock's fixtures and credentials.
type options struct {
	demo                 bool
	orgs, invites, users int
	// orgKeys gives each organization an API key restricted to it.
	orgKeys bool
	// readOnlyKey adds an API key with Organization Read Only.
	readOnlyKey bool
	// now dates the fixtures relative to it; zero keeps the fixed dates.
	now time.Time
}

// newServer builds the mock the options describe and returns it with the
// ids of the generated organizations.
func newServer(o options) (*mockatlas.Server, []string) {
	s := mockatlas.New()
	// The demo credentials work even with -demo=false, so generated
	// organizations can be read; they see every organization, as a key
	// with roles in several would.
	s.AddAPIKey(mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey)
	s.AddServiceAccount(mockatlas.DemoClientID, mockatlas.DemoClientSecret)
	switch {
	case o.demo && o.now.IsZero():
		s.LoadDemo()
	case o.demo:
		s.LoadDemoAt(o.now)
	}
	generated := addGenerated(s, o.orgs, o.invites, o.users, o.now)
	if o.readOnlyKey {
		s.AddAPIKey(readOnlyPublicKey, readOnlyPrivateKey)
		s.SetOrgRole(readOnlyPublicKey, mockatlas.RoleOrgReadOnly)
	}
	if o.orgKeys {
		for _, id := range servedOrgs(o.demo, generated) {
			pub, priv := orgKey(id)
			s.AddAPIKey(pub, priv)
			s.RestrictToOrg(pub, id)
		}
	}
	return s, generated
}

// addGenerated adds n generated organizations, each with invites
// invitations, their invitees as PENDING users (so that both APIs show the
// same people) and `others` users of the other statuses, and returns their
// ids. A non-zero now dates them relative to it.
func addGenerated(s *mockatlas.Server, n, invites, others int, now time.Time) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = mockatlas.GeneratedOrgID(i)
		var list []mockatlas.Invitation
		var users []mockatlas.User
		if now.IsZero() {
			list = mockatlas.GenerateInvitations(ids[i], invites)
			users = mockatlas.GenerateOrgUsers(ids[i], list, others)
		} else {
			list = mockatlas.GenerateInvitationsAt(ids[i], invites, now)
			users = mockatlas.GenerateOrgUsersAt(ids[i], list, others, now)
		}
		s.AddOrg(ids[i], list...)
		s.AddUsers(ids[i], users...)
	}
	return ids
}

func servedOrgs(demo bool, generated []string) []string {
	if demo {
		return append([]string{mockatlas.DemoOrgID}, generated...)
	}
	return generated
}

// orgKey is the API key of orgID under -org-keys: shaped like Atlas's (a
// public key of 8 lower-case letters, a UUID private key) and the same on
// every run, so a configuration can keep it. Not a real credential.
func orgKey(orgID string) (public, private string) {
	sum := sha256.Sum256([]byte("mockatlas org key " + orgID))
	pub := make([]byte, 8)
	for i := range pub {
		pub[i] = 'a' + sum[i]%26
	}
	h := hex.EncodeToString(sum[8:24])
	// Version 4, variant 10xx, as a random UUID has.
	return string(pub), h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// printKeys prints the extra keys the options asked for, as comments to
// copy from: they are alternatives to the exported demo key.
func printKeys(w io.Writer, o options, generated []string) {
	if o.readOnlyKey {
		fmt.Fprintln(w, "# an API key with Organization Read Only (every endpoint answers 401 USER_UNAUTHORIZED):")
		fmt.Fprintf(w, "# export MONGODB_ATLAS_PUBLIC_API_KEY=%s MONGODB_ATLAS_PRIVATE_API_KEY=%s\n", readOnlyPublicKey, readOnlyPrivateKey)
	}
	if o.orgKeys {
		fmt.Fprintln(w, "# one API key per organization (each sees only its own; another answers 401 USER_UNAUTHORIZED):")
		for _, id := range servedOrgs(o.demo, generated) {
			pub, priv := orgKey(id)
			fmt.Fprintf(w, "#   %s: export MONGODB_ATLAS_PUBLIC_API_KEY=%s MONGODB_ATLAS_PRIVATE_API_KEY=%s\n", id, pub, priv)
		}
	}
}
