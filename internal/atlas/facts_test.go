package atlas_test

import (
	"strings"
	"testing"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
)

// Where the base URL came from is in the facts only when nothing answered
// (a misspelt variable leaves the default, and the request goes nowhere
// useful), and not for a request the user canceled.
func TestFactsNameTheBaseURLSourceWhenNothingAnswered(t *testing.T) {
	setup := atlas.Setup{BaseURL: "https://cloud.mongodb.com", BaseURLSource: "the default"}
	const line = "Base URL: https://cloud.mongodb.com, from the default"
	tests := []struct {
		name string
		e    atlas.Error
		want bool
	}{
		{"nothing answered", atlas.Error{Kind: atlas.KindNetwork, Setup: setup}, true},
		{"a timeout", atlas.Error{Kind: atlas.KindTimeout, Setup: setup}, true},
		{"Atlas answered", atlas.Error{Kind: atlas.KindUnauthorized, Status: 401, Setup: setup}, false},
		{"canceled", atlas.Error{Kind: atlas.KindCanceled, Setup: setup}, false},
		{"no source known", atlas.Error{Kind: atlas.KindNetwork, Setup: atlas.Setup{BaseURL: setup.BaseURL}}, false},
	}
	for _, tt := range tests {
		if got := strings.Contains(tt.e.Facts(), line); got != tt.want {
			t.Errorf("%s: the base URL's source in the facts: %v, want %v\n%s", tt.name, got, tt.want, tt.e.Facts())
		}
	}
}
