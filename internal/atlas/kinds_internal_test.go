package atlas

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

// Every kind has a summary of its own, in Title Case, so that a summary
// alone says what went wrong. KindOther has the fallback summary; any other
// kind reaching the fallback has lost its own.
func TestErrorSummariesOfEveryKindDistinct(t *testing.T) {
	type summary struct {
		kind ErrorKind
		of   string // which error, for the messages
		text string
	}
	var all []summary
	for k := range numKinds {
		all = append(all, summary{k, fmt.Sprintf("kind %d", k), (&Error{Kind: k}).Summary()})
	}
	// With USER_UNAUTHORIZED, KindUnauthorized has a second summary, naming
	// the role.
	all = append(all, summary{KindUnauthorized, fmt.Sprintf("kind %d with %s", KindUnauthorized, codeRoleMissing),
		(&Error{Kind: KindUnauthorized, ErrorCode: codeRoleMissing}).Summary()})

	fallback := (&Error{Kind: numKinds}).Summary()
	seen := map[string]string{}
	for _, s := range all {
		if s.text == "" {
			t.Errorf("%s has no summary", s.of)
			continue
		}
		if s.text == fallback && s.kind != KindOther {
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
