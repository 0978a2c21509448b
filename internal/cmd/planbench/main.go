// Command planbench times `terraform plan` with atlasinv against the mock
// Atlas, beside the same plans with the floor provider (the smallest
// framework provider, ./floor), and prints and saves one
// table: wall time (median), ratio to the floor, what the mock saw (requests
// per read, token requests, TCP connections) and the providers' peak RSS.
// scripts/bench.sh (make bench) builds everything and runs it.
//
// The mock runs in this process, on loopback, so its record and connection
// count are read directly. Each plan variant gets one warm-up plan, run
// through a launcher that records the provider processes' exact peak RSS and
// CPU time (measure.go), then -runs timed plans without the launcher,
// atlasinv and floor interleaved so that a busy moment on a shared machine
// hits both. During timed plans the provider's peak RSS is sampled from /proc.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func main() {
	if isLauncher() {
		os.Exit(launch())
	}
	os.Exit(run())
}

type options struct {
	terraform   string        // terraform binary
	providers   string        // directory with terraform-provider-atlasinv and terraform-provider-floor
	work        string        // scratch directory (configurations, CLI config, launcher copies)
	runs        int           // timed plans per variant
	only        string        // comma-separated scenario ids, empty for all
	jsonOut     string        // where to write the results
	baseline    string        // an earlier results file to compare with
	goBench     string        // `go test -bench` output to fold in
	rev         string        // what was measured (commit), for the record
	planTimeout time.Duration // one plan
}

func run() int {
	var o options
	flag.StringVar(&o.terraform, "terraform", "", "terraform `binary`")
	flag.StringVar(&o.providers, "providers", "", "`dir` holding terraform-provider-atlasinv and terraform-provider-floor")
	flag.StringVar(&o.work, "work", "", "scratch `dir` (default: a temporary directory)")
	flag.IntVar(&o.runs, "runs", 5, "timed plans per variant, after one warm-up")
	flag.StringVar(&o.only, "scenarios", "", "comma-separated scenario `ids` to run, e.g. S1,S3= (default all)")
	flag.StringVar(&o.jsonOut, "json", "", "write the results as JSON to `file`")
	flag.StringVar(&o.baseline, "baseline", "", "results `file` of an earlier run to compare with")
	flag.StringVar(&o.goBench, "gobench", "", "`file` with `go test -bench` output of the conversion benchmarks")
	flag.StringVar(&o.rev, "rev", "", "label of what is measured, e.g. a commit")
	flag.DurationVar(&o.planTimeout, "plan-timeout", 5*time.Minute, "limit for one plan")
	flag.Parse()
	if o.terraform == "" || o.providers == "" {
		fmt.Fprintln(os.Stderr, "planbench: -terraform and -providers are required")
		flag.Usage()
		return 2
	}
	if o.runs < 1 {
		fmt.Fprintln(os.Stderr, "planbench: -runs must be at least 1")
		return 2
	}
	if o.work == "" {
		dir, err := os.MkdirTemp("", "planbench-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "planbench:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		o.work = dir
	}
	// Read the baseline first: -baseline and -json may name the same file.
	var prev *results
	if o.baseline != "" {
		p, err := loadResults(o.baseline)
		switch {
		case err == nil:
			prev = p
		case !errors.Is(err, os.ErrNotExist):
			fmt.Fprintln(os.Stderr, "planbench: baseline:", err)
		}
	}
	res, err := bench(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		return 1
	}
	printTable(os.Stdout, res, prev)
	if o.jsonOut != "" {
		if err := writeResults(o.jsonOut, res); err != nil {
			fmt.Fprintln(os.Stderr, "planbench:", err)
			return 1
		}
		fmt.Printf("results written to %s\n", o.jsonOut)
	}
	return 0
}

// bench runs every selected scenario against one in-process mock.
func bench(o options) (*results, error) {
	tfVersion, err := terraformVersion(o.terraform)
	if err != nil {
		return nil, err
	}
	var goBench []goBench
	if o.goBench != "" {
		if goBench, err = parseGoBench(o.goBench); err != nil {
			return nil, err
		}
	}
	mock := mockatlas.New()
	mock.AddAPIKey(mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey)
	mock.AddServiceAccount(mockatlas.DemoClientID, mockatlas.DemoClientSecret)
	mock.AddAccessToken(benchAccessToken)
	selected := selectScenarios(scenarios(), o.only)
	served := map[string]bool{}
	for _, s := range selected {
		s.serve(mock, served)
	}
	if len(selected) == 0 {
		return nil, fmt.Errorf("no scenario matches %q", o.only)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := mock.Serve(ln)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()

	b, err := newBench(o, "http://"+ln.Addr().String(), mock)
	if err != nil {
		return nil, err
	}
	res := &results{
		Date:      time.Now().UTC().Format(time.RFC3339),
		Rev:       o.rev,
		Terraform: tfVersion,
		Go:        runtime.Version(),
		CPUs:      runtime.NumCPU(),
		Runs:      o.runs,
		GoBench:   goBench,
	}
	start := time.Now()
	for _, s := range selected {
		fmt.Fprintf(os.Stderr, "planbench: %s %s ...\n", s.ID, s.Title)
		r, err := b.scenario(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.ID, err)
		}
		res.Scenarios = append(res.Scenarios, r)
	}
	for i, s := range selected {
		res.Targets = append(res.Targets, scenarioTargets(s, res.Scenarios[i], res.Scenarios)...)
	}
	res.PlansSeconds = round3(time.Since(start).Seconds())
	res.Targets = append(res.Targets, conversionTarget(goBench)...)
	res.Targets = append(res.Targets, usersReadTarget(goBench)...)
	res.Targets = append(res.Targets, projectInvitesReadTarget(goBench)...)
	return res, nil
}
