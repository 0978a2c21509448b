package version

import (
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	const rev = "fd1716d0123456789abcdef0123456789abcdef0"
	tests := []struct {
		name                 string
		version, commit      string
		info                 *debug.BuildInfo
		wantVersion, wantRev string
	}{
		{"go build in a checkout", "dev", "none",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("vcs.revision", rev, "vcs.modified", "false")}, "dev", rev},
		{"go build with local changes", "dev", "none",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("vcs.revision", rev, "vcs.modified", "true")}, "dev", rev + "-dirty"},
		{"go install module@version", "dev", "none",
			&debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3", "none"},
		{"go build with pseudo-version and VCS", "dev", "none",
			&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261128130000-fd1716d01234"}, Settings: vcs("vcs.revision", rev)},
			"v0.0.0-20261128130000-fd1716d01234", rev},
		{"release build: ldflags win", "1.4.0", "abc1234",
			&debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: vcs("vcs.revision", rev)}, "1.4.0", "abc1234"},
		{"-buildvcs=false", "dev", "none", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev", "none"},
		{"no build info", "dev", "none", nil, "dev", "none"},
	}
	for _, tt := range tests {
		v, c := buildVersion(tt.version, tt.commit, tt.info, tt.info != nil)
		if v != tt.wantVersion || c != tt.wantRev {
			t.Errorf("%s: got %q (commit %q), want %q (commit %q)", tt.name, v, c, tt.wantVersion, tt.wantRev)
		}
	}
}
