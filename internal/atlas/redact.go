package atlas

import "strings"

// Whatever answers at base_url may echo a credential it received: in a
// body, Atlas's words, a header, a redirect. Every text the client keeps
// from an answer goes through here before it is cut or shown.

// redacted marks where a secret was.
const redacted = "(redacted)"

// minSecretPrefix is the shortest start of a secret that a cut may not leave
// at the end of a text: a shorter one matches innocent text too often to
// say anything.
const minSecretPrefix = 8

// redact replaces every secret in s. Secrets that overlap or touch are
// replaced as one, so that replacing one cannot leave the rest of another.
func redact(s string, secrets []string) string {
	var next []int // where each secret occurs next, from the last match on
	found := false
	for _, secret := range secrets {
		i := -1
		if secret != "" {
			i = strings.Index(s, secret)
		}
		next = append(next, i)
		found = found || i >= 0
	}
	if !found {
		return s
	}
	var b strings.Builder
	kept, start, end := 0, -1, -1 // s[:kept] is written; s[start:end] is to be replaced
	for {
		k := -1
		for j, at := range next {
			if at >= 0 && (k < 0 || at < next[k]) {
				k = j
			}
		}
		if k < 0 {
			break
		}
		at := next[k]
		if at > end {
			if start >= 0 {
				b.WriteString(s[kept:start] + redacted)
				kept = end
			}
			start = at
		}
		end = max(end, at+len(secrets[k]))
		if i := strings.Index(s[at+1:], secrets[k]); i >= 0 {
			next[k] = at + 1 + i
		} else {
			next[k] = -1
		}
	}
	b.WriteString(s[kept:start] + redacted + s[end:])
	return b.String()
}

// peek is the start of a body kept to explain an answer, at most peekSize
// bytes and no secret. It redacts before it cuts: a cut first would keep
// the part of a secret before it. Only a window of peekSize plus the
// longest secret is redacted, which holds every secret that starts in the
// part kept, so a long body costs no more than a short one. After the cut,
// a secret's start left at the end (one that began at the cut, or past the
// window in a text that redaction shortened) is masked too; so is one at
// the end of a body that did not arrive in full.
func peek(body []byte, secrets []string, whole bool) []byte {
	longest := 0
	for _, secret := range secrets {
		longest = max(longest, len(secret))
	}
	window := body[:min(len(body), peekSize+longest)]
	s := redact(string(window), secrets)
	cut := len(s) > peekSize || len(window) < len(body) || !whole
	s = s[:min(len(s), peekSize)]
	if cut {
		s = maskCutSecret(s, secrets)
		s = s[:min(len(s), peekSize)] // the mark may be longer than what it replaced
	}
	return []byte(s)
}

// maskCutSecret replaces the longest start of a secret, minSecretPrefix
// bytes or more, that s ends with.
func maskCutSecret(s string, secrets []string) string {
	from := len(s)
	for _, secret := range secrets {
		for i := max(len(s)-len(secret), 0); i <= len(s)-minSecretPrefix && i < from; i++ {
			if strings.HasPrefix(secret, s[i:]) {
				from = i
				break
			}
		}
	}
	if from == len(s) {
		return s
	}
	return s[:from] + redacted
}

// redactValue is v, a value decoded from JSON, with every secret replaced
// in its strings.
func redactValue(v any, secrets []string) any {
	switch v := v.(type) {
	case string:
		return redact(v, secrets)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = redactValue(x, secrets)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[redact(k, secrets)] = redactValue(x, secrets)
		}
		return out
	}
	return v
}

// lowered is secrets in lower case, for texts that lower-case what they
// keep (a host).
func lowered(secrets []string) []string {
	out := make([]string, len(secrets))
	for i, s := range secrets {
		out[i] = strings.ToLower(s)
	}
	return out
}
