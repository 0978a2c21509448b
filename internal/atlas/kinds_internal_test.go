package atlas

import "testing"

// Every kind has a name of its own, so that an error's line alone says what
// went wrong; a value outside the kinds is "unknown", never another kind's
// name or a panic.
func TestErrorKindNamesDistinct(t *testing.T) {
	seen := map[string]ErrorKind{}
	for k := KindOther; k < numKinds; k++ {
		name := k.String()
		if name == "" || name == "unknown" {
			t.Errorf("kind %d has the name %q", k, name)
			continue
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("kinds %d and %d share the name %q", prev, k, name)
		}
		seen[name] = k
	}
	for _, k := range []ErrorKind{numKinds, -1} {
		if got := k.String(); got != "unknown" {
			t.Errorf("ErrorKind(%d).String() = %q, want \"unknown\"", int(k), got)
		}
	}
}
