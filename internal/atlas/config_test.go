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
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: marker}, "an API key whose public key is not shaped like one (8 lower-case letters), so it is not shown"},
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "abcdefghi"}, "an API key whose public key is not shaped like one (8 lower-case letters), so it is not shown"},
		{atlas.Config{Mode: atlas.AuthAPIKey, PublicKey: "abcdefg1"}, "an API key whose public key is not shaped like one (8 lower-case letters), so it is not shown"},
		{atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_id_0123456789abcdef01234567"}, `client id "mdb_sa_id_0123456789abcdef01234567"`},
		{atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_sk_" + marker}, "a service account whose client id is not shaped like one (mdb_sa_id_ and 24 hexadecimal digits), so it is not shown"},
		{atlas.Config{Mode: atlas.AuthServiceAccount, ClientID: "mdb_sa_id_0123456789ABCDEF01234567"}, "a service account whose client id is not shaped like one (mdb_sa_id_ and 24 hexadecimal digits), so it is not shown"},
	}
	for _, tt := range tests {
		if got := tt.cfg.Principal(); got != tt.want {
			t.Errorf("Principal() of %+v = %q, want %q", tt.cfg, got, tt.want)
		}
	}
}
