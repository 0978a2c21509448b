package atlas_test

import (
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// TestPrincipalShowsOnlyIDShapes: an id is repeated only when it has the
// shape of one; anything else might be a secret in the wrong field.
func TestPrincipalShowsOnlyIDShapes(t *testing.T) {
	const marker = "Hunter2-marker"
	tests := []struct {
		cfg  atlas.Config
		want string
	}{
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "abcdefgh"}, `public key "abcdefgh"`},
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: marker}, "a public key not shown because it is not 8 lower-case letters"},
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "abcdefghi"}, "a public key not shown because it is not 8 lower-case letters"},
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "abcdefg1"}, "a public key not shown because it is not 8 lower-case letters"},
		{atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_id_0123456789abcdef01234567"}, `client id "mdb_sa_id_0123456789abcdef01234567"`},
		{atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_sk_" + marker}, "a client id not shown because it is not mdb_sa_id_ followed by 24 hexadecimal digits"},
		{atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_id_0123456789ABCDEF01234567"}, "a client id not shown because it is not mdb_sa_id_ followed by 24 hexadecimal digits"},
	}
	for _, tt := range tests {
		if got := tt.cfg.Principal(); got != tt.want {
			t.Errorf("Principal() of %+v = %q, want %q", tt.cfg, got, tt.want)
		}
	}
}
