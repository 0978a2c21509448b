package provider

import (
	"slices"
	"strings"
)

// The provider reads its settings from variables whose names are easy to
// mistype; a mistyped one leaves the intended setting unset in silence. What
// follows finds them, so that a warning or the credentials error can name
// them.

// misspeltPrefixes are the prefixes of the variables checked for a
// misspelling of one in readEnvs.
var misspeltPrefixes = []string{"MONGODB_ATLAS_", "MCLI_"}

// otherToolsEnvs are variables under misspeltPrefixes that other MongoDB
// tools read and atlasinv does not. People export them for those tools, so
// none is ever taken for a misspelling, however close to one atlasinv reads.
var otherToolsEnvs = func() map[string]bool {
	out := map[string]bool{
		// The official MongoDB Atlas Terraform provider's switches; its
		// examples also export MONGODB_ATLAS_ORG_ID and _PROJECT_ID (below).
		"MONGODB_ATLAS_ENABLE_PREVIEW": true, "MONGODB_ATLAS_ENABLE_BETA": true,
		"MONGODB_ATLAS_PREVIEW_PROVIDER_V2_ADVANCED_CLUSTER": true,
		// The Atlas CLI's flag for its own container image.
		"MONGODB_ATLAS_IS_CONTAINERIZED": true,
	}
	// The Atlas CLI reads every setting of its configuration from
	// MONGODB_ATLAS_<SETTING>, or from MCLI_<SETTING> as the MongoDB CLI
	// did before it; the last three are the MongoDB CLI's Ops Manager
	// settings.
	for _, setting := range []string{
		"PROFILE", "ORG_ID", "PROJECT_ID", "SERVICE", "AUTH_TYPE", "PUBLIC_API_KEY", "PRIVATE_API_KEY",
		"ACCESS_TOKEN", "REFRESH_TOKEN", "CLIENT_ID", "CLIENT_SECRET", "BASE_URL", "OPS_MANAGER_URL",
		"ACCOUNT_URL", "API_VERSION", "OUTPUT", "MONGOSH_PATH", "SKIP_UPDATE_CHECK",
		"SILENCE_STORAGE_WARNING", "TELEMETRY_ENABLED", "LOCAL_DEPLOYMENT_IMAGE", "VERSION",
		"OPS_MANAGER_CA_CERTIFICATE", "OPS_MANAGER_SKIP_VERIFY", "OPS_MANAGER_VERSION_MANIFEST_URL",
	} {
		out["MONGODB_ATLAS_"+setting], out["MCLI_"+setting] = true, true
	}
	return out
}()

// nearMiss is a variable set but not read, and the read one it is closest to.
type nearMiss struct{ set, meant string }

// misspeltEnvs finds, among the names of the variables set, each one under
// misspeltPrefixes that is neither read (readEnvs) nor another tool's
// (otherToolsEnvs) and that is within two edits of one that is read: likely
// a typo that leaves the intended setting unset. Each is paired with the
// closest read variable, the first in read on a tie.
func misspeltEnvs(set, read []string, others map[string]bool) []nearMiss {
	var out []nearMiss
	for _, name := range set {
		if slices.Contains(read, name) || others[name] ||
			!slices.ContainsFunc(misspeltPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		best, bestDist := "", 3
		for _, r := range read {
			if d := editDistance(name, r); d < bestDist {
				best, bestDist = r, d
			}
		}
		if best != "" {
			out = append(out, nearMiss{set: name, meant: best})
		}
	}
	return out
}

// editDistance is the Levenshtein distance between a and b: how many
// single-byte insertions, deletions and substitutions turn one into the other.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// setEnvNames are the names of the variables in environ (NAME=value, as
// os.Environ gives them) that hold a value, sorted. An empty one counts as
// unset, as it does for every variable the provider reads.
func setEnvNames(environ []string) []string {
	var out []string
	for _, kv := range environ {
		if name, value, ok := strings.Cut(kv, "="); ok && name != "" && value != "" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// missNotes tells, for an error about the variables envs, which of misses
// were probably meant for them, and records them in named; "" when none.
func missNotes(misses []nearMiss, envs []string, named map[string]bool) string {
	var b strings.Builder
	for _, m := range misses {
		if slices.Contains(envs, m.meant) {
			b.WriteString(" " + misspeltText(m))
			named[m.set] = true
		}
	}
	return b.String()
}

func misspeltText(m nearMiss) string {
	return m.set + " is set but atlasinv does not read it; did you mean " + m.meant + "?"
}
