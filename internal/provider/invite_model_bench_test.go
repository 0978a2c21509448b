package provider

import (
	"encoding/json"
	"strconv"
	"testing"

	"go.mongodb.org/atlas-sdk/v20241113001/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The conversion is measured beside the decode the SDK does for the same
// answer (encoding/json into []admin.OrganizationInvitation): a read pays
// both, and the conversion should cost no more than the decode
// (make bench checks that at 10,000 invitations). The conversion shares
// values between invitations; invite_model_reference_test.go checks that it
// gives the same result as a plain conversion.
//
//	go test -bench . -benchmem -run '^$' ./internal/provider/

// benchBody is the JSON the mock answers for n generated invitations.
func benchBody(b *testing.B, n int) []byte {
	b.Helper()
	body, err := json.Marshal(mockatlas.GenerateInvitations(mockatlas.GeneratedOrgID(0), n))
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkInvitesListValue is the response-to-state conversion alone, on
// invitations already decoded by the SDK.
func BenchmarkInvitesListValue(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			body := benchBody(b, n)
			var invs []admin.OrganizationInvitation
			if err := json.Unmarshal(body, &invs); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if v := invitesListValue(invs); v.IsNull() {
					b.Fatal("null list")
				}
			}
		})
	}
}

// BenchmarkSDKDecode is what the SDK does with the same bytes before the
// conversion sees them.
func BenchmarkSDKDecode(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			body := benchBody(b, n)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var invs []admin.OrganizationInvitation
				if err := json.Unmarshal(body, &invs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
