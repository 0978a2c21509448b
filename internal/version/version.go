// Package version completes the version and commit the provider reports. A
// release build sets both with -ldflags on package main's variables; any
// other build leaves their defaults, which this package fills in from the
// build info the Go toolchain recorded in the binary.
package version

import (
	"runtime/debug"
)

// FromBuildInfo completes version and commit from this binary's build info:
// a version still "dev" or a commit still "none" is replaced by what the
// build info holds, if anything.
func FromBuildInfo(version, commit string) (string, string) {
	info, ok := debug.ReadBuildInfo()
	return buildVersion(version, commit, info, ok)
}

// buildVersion is the version and commit to report. Release builds set both
// with -ldflags; a plain `go build` or `go install` leaves the defaults, and
// then the Go toolchain's build info has them: the module version (for
// `go install ...@v1.2.3`) and the VCS revision of the checkout.
func buildVersion(version, commit string, info *debug.BuildInfo, ok bool) (string, string) {
	if !ok || info == nil {
		return version, commit
	}
	if version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		version = info.Main.Version
	}
	if commit == "none" {
		var rev string
		dirty := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			commit = rev
			if dirty {
				commit += "-dirty"
			}
		}
	}
	return version, commit
}
