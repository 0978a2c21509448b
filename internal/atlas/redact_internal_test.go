package atlas

import (
	"fmt"
	"strings"
	"testing"
)

// The secrets here are made up, and only these tests know them.

func TestRedact(t *testing.T) {
	secrets := []string{"", "SECRETAAAA", "AAAABBBB", "zz", "CRETA"}
	tests := []struct{ name, in, want string }{
		{"none", "no secret here", "no secret here"},
		{"empty", "", ""},
		{"one", "x SECRETAAAA y", "x (redacted) y"},
		{"two apart", "zz SECRETAAAA zz", "(redacted) (redacted) (redacted)"},
		// Replaced one by one, the first would leave "BBBB" of the second.
		{"overlapping", "x SECRETAAAABBBB y", "x (redacted) y"},
		{"touching", "SECRETAAAASECRETAAAA.", "(redacted)."},
		{"overlapping itself", "zzz", "(redacted)"},
		{"inside another", "SECRETAAAA", "(redacted)"},
	}
	for _, tt := range tests {
		if got := redact(tt.in, secrets); got != tt.want {
			t.Errorf("%s: redact(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	// The first secret of the list found first, a later one after it:
	// each replaced where it stands.
	if got := redact("AAAA1111 x BBBB2222 y", []string{"AAAA1111", "BBBB2222"}); got != "(redacted) x (redacted) y" {
		t.Errorf("two secrets in list order: %q", got)
	}
}

func TestPeek(t *testing.T) {
	const secret = "0123456789abcdefXYZ" // 19 bytes: "(redacted)" is 9 shorter
	pad := func(n int) string { return strings.Repeat("~", n) }
	secrets := []string{secret}
	tests := []struct {
		name  string
		body  string
		whole bool
		want  string
	}{
		{"short", "<" + secret + ">", true, "<(redacted)>"},
		{"long, no secret", pad(300), true, pad(peekSize)},
		// Cut first, the first 6 bytes of the secret would stay.
		{"straddling the cut", pad(250) + secret + pad(20), true, pad(250) + "(redac"},
		// Redacting the first secret pulls 8 bytes of the second, which
		// the window holds only in part, into what is kept.
		{"pulled in by an earlier one", secret + pad(257-len(secret)) + secret + "~", true,
			"(redacted)" + pad(257-len(secret)) + "(redacte"},
		{"a body cut off", pad(4) + secret[:10], false, pad(4) + "(redacted)"},
		{"a whole body that ends as a secret starts", pad(4) + secret[:10], true, pad(4) + secret[:10]},
		{"a whole body of exactly peekSize that ends as a secret starts", pad(peekSize-10) + secret[:10], true, pad(peekSize-10) + secret[:10]},
	}
	for _, tt := range tests {
		got := string(peek([]byte(tt.body), secrets, tt.whole))
		if got != tt.want || len(got) > peekSize {
			t.Errorf("%s: peek = %q, want %q (at most %d bytes)", tt.name, got, tt.want, peekSize)
		}
	}
	if got := string(peek([]byte(pad(300)), nil, true)); got != pad(peekSize) {
		t.Errorf("without secrets: peek = %q, want the first %d bytes", got, peekSize)
	}
}

// A cut leaves at most minSecretPrefix-1 bytes of a secret's start.
func TestMaskCutSecret(t *testing.T) {
	secrets := []string{"0123456789abcdef", "ab0123456789"}
	tests := []struct{ in, want string }{
		{"x 01234567", "x (redacted)"},
		{"x 0123456", "x 0123456"},
		// The longest start goes: "ab01234567" is one, "01234567" another.
		{"x ab01234567", "x (redacted)"},
		{"x 0123456789abcdef", "x (redacted)"},
		{"01234567 x", "01234567 x"},
	}
	for _, tt := range tests {
		if got := maskCutSecret(tt.in, secrets); got != tt.want {
			t.Errorf("maskCutSecret(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactValue(t *testing.T) {
	got := redactValue([]any{"a SECRET", 1.5, nil, map[string]any{"SECRET": []any{"SECRET"}}}, []string{"SECRET"})
	want := "[a (redacted) 1.5 <nil> map[(redacted):[(redacted)]]]"
	if s := fmt.Sprint(got); s != want {
		t.Errorf("redactValue = %s, want %s", s, want)
	}
}
