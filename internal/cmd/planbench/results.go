package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"text/tabwriter"

	"golang.org/x/tools/benchmark/parse"
)

// results is one run of planbench, as written to the JSON file.
type results struct {
	Date         string           `json:"date"`
	Rev          string           `json:"rev,omitempty"`
	Terraform    string           `json:"terraform"`
	Go           string           `json:"go"`
	CPUs         int              `json:"cpus"`
	Runs         int              `json:"runs"`
	PlansSeconds float64          `json:"plans_seconds"`
	Scenarios    []scenarioResult `json:"scenarios"`
	GoBench      []goBench        `json:"go_bench,omitempty"`
	Targets      []target         `json:"targets"`
}

type scenarioResult struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	Auth        string        `json:"auth"`
	DataSources int           `json:"data_sources"`
	Invitations int           `json:"invitations"`
	Atlasinv    measurement   `json:"atlasinv"`
	Floors      []measurement `json:"floors"` // the first is the one the targets compare with
	TimeTarget  float64       `json:"time_target,omitempty"`
	RSSTarget   float64       `json:"rss_target,omitempty"`
	Wire        wireStats     `json:"wire"` // the highest of each count over the timed plans
	WireStable  bool          `json:"wire_stable"`
	WireRuns    []wireStats   `json:"wire_runs"` // each timed plan
}

// measurement is one variant of a scenario: medians over the timed plans,
// and what the launchers saw in the warm-up plan.
type measurement struct {
	Label        string      `json:"label"`
	MedianSec    float64     `json:"median_s"`
	RunsSec      []float64   `json:"runs_s"`
	CPUMedianSec float64     `json:"cpu_median_s"` // terraform plus its provider processes
	CPURunsSec   []float64   `json:"cpu_runs_s"`
	PeakRSSKiB   int64       `json:"peak_rss_kib"` // median over the timed plans of the provider's peak
	RSSRunsKiB   []int64     `json:"rss_runs_kib"`
	Warmup       launchStats `json:"warmup"`
}

type goBench struct {
	Name        string  `json:"name"`
	NsPerOp     float64 `json:"ns_per_op"` // median over -count
	BytesPerOp  int64   `json:"bytes_per_op"`
	AllocsPerOp int64   `json:"allocs_per_op"`
	Samples     int     `json:"samples"`
}

type target struct {
	Name   string  `json:"name"`
	Want   string  `json:"want"`
	Got    string  `json:"got"`
	Value  float64 `json:"value"`
	Limit  float64 `json:"limit"`
	Passed bool    `json:"passed"`
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return float64(int64(a/b*1000+0.5)) / 1000
}

// scenarioTargets checks a scenario's targets, each within this one run:
// against the first floor, or against the atlasinv plans of s.Versus (one
// of all).
func scenarioTargets(s scenario, r scenarioResult, all []scenarioResult) []target {
	var ts []target
	ref, refName := r.Floors[0], r.Floors[0].Label
	if s.Versus != "" {
		i := slices.IndexFunc(all, func(o scenarioResult) bool { return o.ID == s.Versus })
		if i < 0 {
			return []target{{Name: s.ID + " vs " + s.Versus, Want: s.Versus + " in the same run", Got: s.Versus + " did not run"}}
		}
		ref, refName = all[i].Atlasinv, s.Versus+" atlasinv"
	}
	if s.TimeTarget > 0 {
		x := ratio(r.Atlasinv.MedianSec, ref.MedianSec)
		ts = append(ts, target{Name: s.ID + " plan time", Want: fmt.Sprintf("<= %.2f x %s", s.TimeTarget, refName),
			Value: x, Limit: s.TimeTarget, Passed: x <= s.TimeTarget,
			Got: fmt.Sprintf("%.2f x (%.3fs vs %.3fs)", x, r.Atlasinv.MedianSec, ref.MedianSec)})
	}
	if s.RSSTarget > 0 {
		x := ratio(float64(r.Atlasinv.PeakRSSKiB), float64(ref.PeakRSSKiB))
		ts = append(ts, target{Name: s.ID + " provider peak RSS", Want: fmt.Sprintf("<= %.2f x %s", s.RSSTarget, refName),
			Value: x, Limit: s.RSSTarget, Passed: x <= s.RSSTarget,
			Got: fmt.Sprintf("%.2f x (%s vs %s)", x, mib(r.Atlasinv.PeakRSSKiB), mib(ref.PeakRSSKiB))})
	}
	if s.AddedTarget > 0 {
		d := round3(r.Atlasinv.MedianSec - ref.MedianSec)
		ts = append(ts, target{Name: s.ID + " plan time added", Want: fmt.Sprintf("<= %.2fs over %s", s.AddedTarget, refName),
			Value: d, Limit: s.AddedTarget, Passed: d <= s.AddedTarget,
			Got: fmt.Sprintf("%+.3fs (%.3fs vs %.3fs)", d, r.Atlasinv.MedianSec, ref.MedianSec)})
	}
	for _, w := range s.Wire {
		lo, hi := w.Of(r.WireRuns[0]), w.Of(r.WireRuns[0])
		for _, run := range r.WireRuns[1:] {
			lo, hi = min(lo, w.Of(run)), max(hi, w.Of(run))
		}
		t := target{Name: s.ID + " " + w.What, Want: fmt.Sprintf("<= %g", w.Max), Value: hi, Limit: w.Max,
			Passed: lo >= w.Min && hi <= w.Max, Got: fmt.Sprintf("at most %g over %d plans", hi, len(r.WireRuns))}
		if w.Min == w.Max {
			t.Want, t.Got = fmt.Sprintf("== %g", w.Max), fmt.Sprintf("%g to %g over %d plans", lo, hi, len(r.WireRuns))
		}
		ts = append(ts, t)
	}
	return ts
}

// conversionTarget compares the conversion of 10,000 invitations with the
// SDK's JSON decode of the same bytes, when both benchmarks ran.
func conversionTarget(gb []goBench) []target {
	conv, dec := findBench(gb, "BenchmarkInvitesListValue/10000"), findBench(gb, "BenchmarkSDKDecode/10000")
	if conv == nil || dec == nil {
		return nil
	}
	x := ratio(conv.NsPerOp, dec.NsPerOp)
	return []target{{Name: "conversion of 10,000 invitations (time)", Want: "<= 1.00 x SDK JSON decode",
		Value: x, Limit: 1, Passed: x <= 1,
		Got: fmt.Sprintf("%.2f x (%s vs %s; %d vs %d allocs/op, %s vs %s/op)", x, ms(conv.NsPerOp), ms(dec.NsPerOp),
			conv.AllocsPerOp, dec.AllocsPerOp, mib(conv.BytesPerOp/1024), mib(dec.BytesPerOp/1024))}}
}

// usersReadTarget is issue 9's bound on one read of 20 pages that Atlas
// takes 50 ms each to answer (one after another: 1 s), from the Go
// benchmark of the client's read against the mock.
func usersReadTarget(gb []goBench) []target {
	b := findBench(gb, "BenchmarkListOrgUsersPageLatency")
	if b == nil {
		return nil
	}
	sec := round3(b.NsPerOp / 1e9)
	return []target{{Name: "read of 10,000 users, 20 pages at 50 ms", Want: "<= 0.35s (sequential: 1s)",
		Value: sec, Limit: 0.35, Passed: sec <= 0.35,
		Got: fmt.Sprintf("%.3fs (median of %d; %d allocs/op, %s/op)", sec, b.Samples, b.AllocsPerOp, mib(b.BytesPerOp/1024))}}
}

// projectInvitesReadTarget is issue 26's bound on one read of the
// invitations of 200 projects that Atlas takes 50 ms each to answer, with
// an access token, from the Go benchmark of the provider's read against
// the mock (S9's read without Terraform). The digest sub-benchmark has no
// bound: the table of Go benchmarks shows it.
func projectInvitesReadTarget(gb []goBench) []target {
	b := findBench(gb, "BenchmarkProjectInvitesOrgWide/access_token")
	if b == nil {
		return nil
	}
	sec := round3(b.NsPerOp / 1e9)
	return []target{{Name: "read of 200 projects' invitations at 50 ms, access token", Want: fmt.Sprintf(
		"<= %.2fs (9 at once: 1.2s)", projectsReadMax), Value: sec, Limit: projectsReadMax, Passed: sec <= projectsReadMax,
		Got: fmt.Sprintf("%.3fs (median of %d; %d allocs/op, %s/op)", sec, b.Samples, b.AllocsPerOp, mib(b.BytesPerOp/1024))}}
}

func findBench(bs []goBench, name string) *goBench {
	for i := range bs {
		if bs[i].Name == name {
			return &bs[i]
		}
	}
	return nil
}

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }
func ms(ns float64) string { return fmt.Sprintf("%.1f ms", ns/1e6) }

func printTable(w io.Writer, r *results, prev *results) {
	fmt.Fprintf(w, "\nterraform plan -refresh=false: Terraform %s, %s, %d CPUs; median of %d plans after 1 warm-up", r.Terraform, r.Go, r.CPUs, r.Runs)
	if r.Rev != "" {
		fmt.Fprintf(w, "; %s", r.Rev)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "requests: what the mock saw in one atlasinv plan; peak RSS: the provider process (median over the timed plans);")
	fmt.Fprintln(w, "plan CPU: terraform and its provider processes; provider CPU: the provider processes alone (warm-up plan)")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "scenario\tatlasinv\tfloor\tratio\ttarget\trequests\tpeak RSS atlasinv / floor\tRSS ratio\tplan CPU\tprovider CPU"
	if prev != nil {
		head += "\tatlasinv vs previous run"
	}
	fmt.Fprintln(tw, head)
	for _, s := range r.Scenarios {
		a := s.Atlasinv
		for i, f := range s.Floors {
			name := s.ID + "  " + s.Title
			atl, req := fmt.Sprintf("%.3fs", a.MedianSec), wireSummary(s)
			tgt, rssRatio := "-", fmt.Sprintf("%.2f", ratio(float64(a.PeakRSSKiB), float64(f.PeakRSSKiB)))
			if i == 0 && s.TimeTarget > 0 {
				tgt = fmt.Sprintf("<= %.2f", s.TimeTarget)
			}
			if i == 0 && s.RSSTarget > 0 {
				rssRatio += fmt.Sprintf(" (<= %.2f)", s.RSSTarget)
			}
			if i > 0 { // the same atlasinv plans, against another floor
				name, atl, req = "     (same atlasinv plans)", `"`, `"`
			}
			line := fmt.Sprintf("%s\t%s\t%.3fs %s\t%.2f\t%s\t%s\t%s / %s\t%s\t%.2fs / %.2fs\t%.2fs / %.2fs",
				name, atl, f.MedianSec, f.Label, ratio(a.MedianSec, f.MedianSec), tgt, req,
				mib(a.PeakRSSKiB), mib(f.PeakRSSKiB), rssRatio,
				a.CPUMedianSec, f.CPUMedianSec, a.Warmup.CPUSec, f.Warmup.CPUSec)
			if prev != nil {
				line += "\t" + versus(s, i, prev)
			}
			fmt.Fprintln(tw, line)
		}
	}
	_ = tw.Flush()

	if len(r.GoBench) > 0 {
		fmt.Fprintln(w, "\ngo test -bench -benchmem (median ns/op over -count):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "benchmark\tns/op\tB/op\tallocs/op\t")
		for _, b := range r.GoBench {
			fmt.Fprintf(tw, "%s\t%.0f\t%d\t%d\t\n", b.Name, b.NsPerOp, b.BytesPerOp, b.AllocsPerOp)
		}
		_ = tw.Flush()
	}

	fmt.Fprintln(w, "\ntargets:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range r.Targets {
		mark := "ok  "
		if !t.Passed {
			mark = "MISS"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", mark, t.Name, t.Want, t.Got)
	}
	_ = tw.Flush()
	plans := 0
	for _, s := range r.Scenarios {
		plans += (1 + len(s.Floors)) * (1 + r.Runs)
	}
	fmt.Fprintf(w, "\n%d plans in %.0fs\n", plans, r.PlansSeconds)
}

func wireSummary(s scenarioResult) string {
	w := s.Wire
	out := fmt.Sprintf("%g/read (%d API, %d of them 401), %d token, %d conn", w.PerRead, w.APIRequests, w.Unauthorized,
		w.TokenRequests, w.Connections)
	if !s.WireStable {
		out += " (highest)"
	}
	return out
}

// versus compares atlasinv's median with the same scenario of an earlier run.
func versus(s scenarioResult, floorIdx int, prev *results) string {
	if floorIdx > 0 {
		return `"`
	}
	for _, p := range prev.Scenarios {
		if p.ID == s.ID && p.Atlasinv.MedianSec > 0 {
			return fmt.Sprintf("%.3fs -> %.3fs (%+.0f%%)", p.Atlasinv.MedianSec, s.Atlasinv.MedianSec,
				(s.Atlasinv.MedianSec/p.Atlasinv.MedianSec-1)*100)
		}
	}
	return "-"
}

func writeResults(path string, r *results) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func loadResults(path string) (*results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &r, nil
}

// parseGoBench reads `go test -bench -benchmem` output. With -count > 1 a
// benchmark keeps its median time (and the allocations of its last sample,
// which do not vary); benchmarks stay in the order they ran.
func parseGoBench(path string) ([]goBench, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	set, err := parse.ParseSet(f)
	if err != nil {
		return nil, err
	}
	out := make([]goBench, 0, len(set))
	first := map[string]int{}
	for name, runs := range set {
		times := make([]float64, len(runs))
		for i, r := range runs {
			times[i] = r.NsPerOp
		}
		last := runs[len(runs)-1]
		b := goBench{Name: procsSuffix.ReplaceAllString(name, ""), NsPerOp: median(times),
			BytesPerOp: int64(last.AllocedBytesPerOp), AllocsPerOp: int64(last.AllocsPerOp), Samples: len(runs)}
		first[b.Name] = runs[0].Ord
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b goBench) int { return first[a.Name] - first[b.Name] })
	return out, nil
}

// procsSuffix is the -GOMAXPROCS suffix go test adds to benchmark names.
var procsSuffix = regexp.MustCompile(`-\d+$`)
