package diagnostics_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/atlas"
	"github.com/atlasinv/terraform-provider-atlasinv/internal/provider/diagnostics"
)

// Every kind has a summary of its own, in Title Case, so that a summary
// alone says what went wrong. KindOther has the fallback summary; any other
// kind reaching the fallback has lost its own.
func TestSummariesOfEveryKindDistinct(t *testing.T) {
	type summary struct {
		of   string // which error, for the messages
		kind atlas.ErrorKind
		text string
	}
	var all []summary
	for k := atlas.KindOther; k.String() != "unknown"; k++ {
		all = append(all, summary{fmt.Sprintf("kind %v", k), k, diagnostics.Summary(&atlas.Error{Kind: k})})
	}
	if len(all) < int(atlas.KindListTooLong)+1 {
		t.Fatalf("%d kinds named, want at least %d", len(all), atlas.KindListTooLong+1)
	}
	// Kinds with a second summary: a missing role names it, unless Atlas
	// documents none; a list of organizations is not one of users.
	all = append(all,
		summary{"unauthorized with USER_UNAUTHORIZED", atlas.KindUnauthorized,
			diagnostics.Summary(&atlas.Error{Kind: atlas.KindUnauthorized, ErrorCode: atlas.CodeRoleMissing, Role: "Organization Owner"})},
		summary{"unauthorized with USER_UNAUTHORIZED, no role documented", atlas.KindUnauthorized,
			diagnostics.Summary(&atlas.Error{Kind: atlas.KindUnauthorized, ErrorCode: atlas.CodeRoleMissing})},
		summary{"410 VERSION_GONE", atlas.KindVersionGone,
			diagnostics.Summary(&atlas.Error{Kind: atlas.KindVersionGone, Status: 410, ErrorCode: "VERSION_GONE"})},
		summary{"organizations changed", atlas.KindListChanged,
			diagnostics.Summary(&atlas.Error{Kind: atlas.KindListChanged, List: &atlas.ListFacts{What: "organizations"}})},
		summary{"organizations too long", atlas.KindListTooLong,
			diagnostics.Summary(&atlas.Error{Kind: atlas.KindListTooLong, List: &atlas.ListFacts{What: "organizations"}})},
	)
	fallback := diagnostics.Summary(&atlas.Error{Kind: atlas.ErrorKind(-1)})
	seen := map[string]string{}
	for _, s := range all {
		if s.text == fallback && s.kind != atlas.KindOther {
			t.Errorf("%s has the fallback summary %q", s.of, s.text)
		}
		if prev, dup := seen[s.text]; dup {
			t.Errorf("%s and %s share the summary %q", prev, s.of, s.text)
		}
		seen[s.text] = s.of
		for _, w := range strings.Fields(s.text) {
			if !unicode.IsUpper([]rune(w)[0]) {
				t.Errorf("summary %q of %s is not Title Case (%q)", s.text, s.of, w)
				break
			}
		}
	}
}

func TestSummaryNamesTheListAndTheRole(t *testing.T) {
	tests := []struct {
		err  *atlas.Error
		want string
	}{
		{&atlas.Error{Kind: atlas.KindUnauthorized, ErrorCode: atlas.CodeRoleMissing, Role: "Organization Member"},
			"Atlas Credentials Lack The Organization Member Role"},
		{&atlas.Error{Kind: atlas.KindUnauthorized, ErrorCode: "UNAUTHORIZED", Role: "Organization Member"},
			"Atlas Rejected The Credentials"},
		{&atlas.Error{Kind: atlas.KindUnauthorized, ErrorCode: atlas.CodeRoleMissing}, "Atlas Did Not Authorize The Read"},
		{&atlas.Error{Kind: atlas.KindListChanged, List: &atlas.ListFacts{What: "users"}}, "Organization Users Changed During The Read"},
		{&atlas.Error{Kind: atlas.KindListChanged, List: &atlas.ListFacts{What: "organizations"}}, "Organizations Changed During The Read"},
		{&atlas.Error{Kind: atlas.KindListTooLong, List: &atlas.ListFacts{What: "users"}}, "Organization Users List Too Long"},
		{&atlas.Error{Kind: atlas.KindListTooLong, List: &atlas.ListFacts{What: "organizations"}}, "Organizations List Too Long"},
		{&atlas.Error{Kind: atlas.KindListTooLong}, "Organization Users List Too Long"},
	}
	for _, tt := range tests {
		if got := diagnostics.Summary(tt.err); got != tt.want {
			t.Errorf("Summary(%v %q) = %q, want %q", tt.err.Kind, tt.err.ErrorCode, got, tt.want)
		}
	}
}

// TestTroubleshootingGuideNamesEverySummary: the registry guide has a row
// for every summary an Atlas failure can have.
func TestTroubleshootingGuideNamesEverySummary(t *testing.T) {
	guide, err := os.ReadFile("../../../templates/guides/troubleshooting.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	errs := []*atlas.Error{
		{Kind: atlas.KindUnauthorized, ErrorCode: atlas.CodeRoleMissing, Role: "Organization Owner"},
		{Kind: atlas.KindUnauthorized, ErrorCode: atlas.CodeRoleMissing, Role: "Organization Member"},
		{Kind: atlas.KindUnauthorized, ErrorCode: atlas.CodeRoleMissing},
		{Kind: atlas.KindListChanged, List: &atlas.ListFacts{What: "organizations"}},
		{Kind: atlas.KindListTooLong, List: &atlas.ListFacts{What: "organizations"}},
		{Kind: atlas.KindVersionGone, Status: 410, ErrorCode: "VERSION_GONE"},
		{Kind: atlas.KindVersionGone, Status: 410, ErrorCode: "RESOURCE_GONE"},
	}
	for k := atlas.KindOther; k.String() != "unknown"; k++ {
		errs = append(errs, &atlas.Error{Kind: k})
	}
	for _, e := range errs {
		if s := diagnostics.Summary(e); !strings.Contains(string(guide), "| "+s) && !strings.Contains(string(guide), " / "+s) {
			t.Errorf("the troubleshooting guide has no row for %q", s)
		}
	}
}
