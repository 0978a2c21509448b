package provider

import (
	"encoding/json"
	"strconv"
	"testing"

	usersadmin "go.mongodb.org/atlas-sdk/v20250312020/admin"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

// The users conversion beside the SDK's decode of the same users, as for
// invitations (invite_model_bench_test.go). The decode is measured on one
// body holding every user; a real read decodes the same users in pages of
// 500, which costs the same per user.
//
//	go test -bench Users -benchmem -run '^$' ./internal/provider/

// usersBenchBody is a listOrgUsers answer holding n generated users of every
// status.
func usersBenchBody(b *testing.B, n int) []byte {
	b.Helper()
	body, err := json.Marshal(map[string]any{
		"results":    mockatlas.GenerateUsers(mockatlas.GeneratedOrgID(0), n, mockatlas.UserStatuses...),
		"totalCount": n,
	})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkUsersListValue is the response-to-state conversion alone.
func BenchmarkUsersListValue(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var page usersadmin.PaginatedOrgUser
			if err := json.Unmarshal(usersBenchBody(b, n), &page); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if v := usersListValue(page.Results); v.IsNull() {
					b.Fatal("null list")
				}
			}
		})
	}
}

// BenchmarkUsersSDKDecode is what the SDK does with the bytes before the
// conversion sees them.
func BenchmarkUsersSDKDecode(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			body := usersBenchBody(b, n)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				var page usersadmin.PaginatedOrgUser
				if err := json.Unmarshal(body, &page); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
