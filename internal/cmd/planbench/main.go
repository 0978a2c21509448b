// Command planbench times `terraform plan` with atlasinv against the mock
// Atlas, beside the same plans with the floor provider (the smallest
// framework provider, ../shared/bench/floorprov), and prints and saves one
// table: wall time (median), ratio to the floor, what the mock saw (requests
// per read, token requests, TCP connections) and the providers' peak RSS.
// scripts/bench.sh (make bench) builds everything and runs it.
//
// The mock runs in this process, on loopback, so its record and connection
// count are read directly. Each plan variant gets one warm-up plan, run
// through a launcher that records the provider processes' peak RSS, and then
// -runs timed plans without the launcher, atlasinv and floor interleaved so
// that a busy moment on a shared machine hits both.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
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
	flag.StringVar(&o.only, "scenarios", "", "comma-separated scenario `ids` to run (default all)")
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
	res, err := bench(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		return 1
	}
	var prev *results
	if o.baseline != "" {
		if p, err := loadResults(o.baseline); err == nil {
			prev = p
		} else if !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintln(os.Stderr, "planbench: baseline:", err)
		}
	}
	printTable(os.Stdout, res, prev)
	if o.jsonOut != "" {
		if err := writeResults(o.jsonOut, res); err != nil {
			fmt.Fprintln(os.Stderr, "planbench:", err)
			return 1
		}
		fmt.Printf("\nresults written to %s\n", o.jsonOut)
	}
	return 0
}

// Organizations the mock serves, one set per scenario.
const (
	manyOrgs        = 50
	invitesPerMany  = 10
	manyOrgsFirstID = 100 // GeneratedOrgID index of the first of the 50
)

// scenarios are the plans the issue asks for. The first floor variant is the
// one the time target compares with.
func scenarios() []scenario {
	many := make([]string, manyOrgs)
	for i := range many {
		many[i] = mockatlas.GeneratedOrgID(manyOrgsFirstID + i)
	}
	one := func(i int) []string { return []string{mockatlas.GeneratedOrgID(i)} }
	return []scenario{
		{
			ID: "S1", Title: "1 data source, 1 invitation, digest", Auth: authDigest,
			Orgs: one(0), PerOrg: 1,
			Floors: []floorVariant{{Raw: false}}, TimeTarget: 1.20,
		},
		{
			ID: "S2", Title: "1 data source, 1,000 invitations, digest", Auth: authDigest,
			Orgs: one(1), PerOrg: 1000,
			Floors: []floorVariant{{Raw: true}}, TimeTarget: 1.15,
		},
		{
			ID: "S3", Title: "1 data source, 10,000 invitations, digest", Auth: authDigest,
			Orgs: one(2), PerOrg: 10000,
			Floors: []floorVariant{{Raw: true}, {Raw: false}}, TimeTarget: 1.15, RSSTarget: 1.30,
		},
		{
			ID: "S4", Title: "50 data sources x 10 invitations, service account", Auth: authServiceAccount,
			Orgs: many, PerOrg: invitesPerMany,
			Floors: []floorVariant{{Raw: false}},
		},
		{
			ID: "S5", Title: "50 data sources x 10 invitations, digest", Auth: authDigest,
			Orgs: many, PerOrg: invitesPerMany,
			Floors: []floorVariant{{Raw: false}},
		},
	}
}

type authMode string

const (
	authDigest         authMode = "digest"
	authServiceAccount authMode = "service account"
)

type scenario struct {
	ID, Title  string
	Auth       authMode
	Orgs       []string // one data source per organization
	PerOrg     int      // invitations in each
	Floors     []floorVariant
	TimeTarget float64 // atlasinv median <= TimeTarget x Floors[0] median; 0: none
	RSSTarget  float64 // atlasinv peak RSS <= RSSTarget x Floors[0] peak RSS; 0: none
}

// floorVariant is how the floor provider builds its objects: Raw sets
// tftypes values directly, otherwise the ordinary framework way.
type floorVariant struct {
	Raw bool
}

func (f floorVariant) label() string {
	if f.Raw {
		return "floor raw"
	}
	return "floor framework"
}

func (s scenario) total() int { return len(s.Orgs) * s.PerOrg }

func (s scenario) selected(only string) bool {
	if only == "" {
		return true
	}
	for _, id := range strings.Split(only, ",") {
		if strings.EqualFold(strings.TrimSpace(id), s.ID) {
			return true
		}
	}
	return false
}

// bench runs every selected scenario against one in-process mock.
func bench(o options) (*results, error) {
	tfVersion, err := terraformVersion(o.terraform)
	if err != nil {
		return nil, err
	}
	mock := mockatlas.New()
	mock.AddAPIKey(mockatlas.DemoPublicKey, mockatlas.DemoPrivateKey)
	mock.AddServiceAccount(mockatlas.DemoClientID, mockatlas.DemoClientSecret)
	all := scenarios()
	added := map[string]bool{}
	for _, s := range all {
		if !s.selected(o.only) {
			continue
		}
		for _, org := range s.Orgs {
			if !added[org] {
				added[org] = true
				mock.AddOrg(org, mockatlas.GenerateInvitations(org, s.PerOrg)...)
			}
		}
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
	baseURL := "http://" + ln.Addr().String()

	b, err := newBench(o, baseURL, mock)
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
	}
	start := time.Now()
	for _, s := range all {
		if !s.selected(o.only) {
			continue
		}
		fmt.Fprintf(os.Stderr, "planbench: %s %s ...\n", s.ID, s.Title)
		r, err := b.scenario(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.ID, err)
		}
		res.Scenarios = append(res.Scenarios, r)
	}
	res.PlansSeconds = round3(time.Since(start).Seconds())
	if o.goBench != "" {
		gb, err := parseGoBench(o.goBench)
		if err != nil {
			return nil, err
		}
		res.GoBench = gb
	}
	res.Targets = evaluate(res)
	return res, nil
}

type benchEnv struct {
	o       options
	baseURL string
	mock    *mockatlas.Server
	// cliTimed and cliRSS are CLI configurations whose dev_overrides point at
	// the real providers and at the RSS launchers.
	cliTimed, cliRSS string
	rssFile          string
	base             []string // environment every plan starts from
}

func newBench(o options, baseURL string, mock *mockatlas.Server) (*benchEnv, error) {
	providers, err := filepath.Abs(o.providers)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"atlasinv", "floor"} {
		if _, err := os.Stat(filepath.Join(providers, "terraform-provider-"+name)); err != nil {
			return nil, fmt.Errorf("provider binary: %w", err)
		}
	}
	launchers := filepath.Join(o.work, "launchers")
	if err := os.MkdirAll(launchers, 0o755); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"atlasinv", "floor"} {
		if err := copyFile(self, filepath.Join(launchers, "terraform-provider-"+name)); err != nil {
			return nil, err
		}
	}
	b := &benchEnv{o: o, baseURL: baseURL, mock: mock,
		cliTimed: filepath.Join(o.work, "timed.tfrc"),
		cliRSS:   filepath.Join(o.work, "rss.tfrc"),
		rssFile:  filepath.Join(o.work, "rss.txt"),
	}
	for file, dir := range map[string]string{b.cliTimed: providers, b.cliRSS: launchers} {
		rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
			"atlasinv/atlasinv", dir, "floor/floor", dir)
		if err := os.WriteFile(file, []byte(rc), 0o600); err != nil {
			return nil, err
		}
	}
	// Nothing of the caller's Atlas or Terraform settings leaks in: no real
	// credentials, no logging, no extra CLI arguments.
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "MONGODB_ATLAS_") || strings.HasPrefix(k, "MCLI_") ||
			strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "PLANBENCH_") || k == "CHECKPOINT_DISABLE" {
			continue
		}
		b.base = append(b.base, kv)
	}
	b.base = append(b.base, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		envRealDir+"="+providers, envRSSFile+"="+b.rssFile)
	return b, nil
}

// variant is one configuration of a scenario: atlasinv or a floor.
type variant struct {
	label    string
	provider string // "atlasinv" or "floor"
	dir      string
	env      []string
	want     int // the plan's output n
}

func (b *benchEnv) variants(s scenario) ([]variant, error) {
	root := filepath.Join(b.o.work, strings.ToLower(s.ID))
	auth := []string{"MONGODB_ATLAS_BASE_URL=" + b.baseURL}
	switch s.Auth {
	case authDigest:
		auth = append(auth, "MONGODB_ATLAS_PUBLIC_API_KEY="+mockatlas.DemoPublicKey,
			"MONGODB_ATLAS_PRIVATE_API_KEY="+mockatlas.DemoPrivateKey)
	case authServiceAccount:
		auth = append(auth, "MONGODB_ATLAS_CLIENT_ID="+mockatlas.DemoClientID,
			"MONGODB_ATLAS_CLIENT_SECRET="+mockatlas.DemoClientSecret)
	}
	vs := []variant{{label: "atlasinv", provider: "atlasinv", dir: filepath.Join(root, "atlasinv"),
		env: append(slices.Clone(b.base), auth...), want: s.total()}}
	if err := writeConfig(vs[0].dir, atlasinvConfig(s)); err != nil {
		return nil, err
	}
	for _, f := range s.Floors {
		v := variant{label: f.label(), provider: "floor", dir: filepath.Join(root, strings.ReplaceAll(f.label(), " ", "-")),
			env: slices.Clone(b.base), want: s.total()}
		if err := writeConfig(v.dir, floorConfig(s, f)); err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
	return vs, nil
}

func writeConfig(dir, hcl string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600)
}

// Both providers get the same shape of configuration: one data source per
// organization (for_each when there are several) and one output, the total
// number of invitations, which the plan must show.
func atlasinvConfig(s scenario) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    atlasinv = { source = \"atlasinv/atlasinv\" }\n  }\n}\n\n")
	if len(s.Orgs) == 1 {
		fmt.Fprintf(&b, "data \"atlasinv_org_invites\" \"this\" {\n  org_id = %q\n}\n\n", s.Orgs[0])
		b.WriteString("output \"n\" {\n  value = length(data.atlasinv_org_invites.this.invites)\n}\n")
		return b.String()
	}
	quoted := make([]string, len(s.Orgs))
	for i, id := range s.Orgs {
		quoted[i] = strconv.Quote(id)
	}
	fmt.Fprintf(&b, "data \"atlasinv_org_invites\" \"this\" {\n  for_each = toset([%s])\n  org_id   = each.value\n}\n\n",
		strings.Join(quoted, ", "))
	b.WriteString("output \"n\" {\n  value = sum([for d in data.atlasinv_org_invites.this : length(d.invites)])\n}\n")
	return b.String()
}

func floorConfig(s scenario, f floorVariant) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    floor = { source = \"floor/floor\" }\n  }\n}\n\n")
	orgID := `"5f0c0ffee0c0ffee0c0ffee0"`
	if f.Raw {
		orgID = `"raw"`
	}
	if len(s.Orgs) == 1 {
		fmt.Fprintf(&b, "data \"floor_org_invites\" \"this\" {\n  org_id = %s\n  n      = %d\n}\n\n", orgID, s.PerOrg)
		b.WriteString("output \"n\" {\n  value = length(data.floor_org_invites.this.invites)\n}\n")
		return b.String()
	}
	fmt.Fprintf(&b, "data \"floor_org_invites\" \"this\" {\n  for_each = toset([for i in range(%d) : tostring(i)])\n  org_id   = %s\n  n        = %d\n}\n\n",
		len(s.Orgs), orgID, s.PerOrg)
	b.WriteString("output \"n\" {\n  value = sum([for d in data.floor_org_invites.this : length(d.invites)])\n}\n")
	return b.String()
}

// scenario runs one warm-up (with RSS) and o.runs timed plans per variant.
func (b *benchEnv) scenario(s scenario) (scenarioResult, error) {
	vs, err := b.variants(s)
	if err != nil {
		return scenarioResult{}, err
	}
	ms := make([]measurement, len(vs))
	var wire []wireStats
	for i, v := range vs {
		ms[i].Label = v.label
		b.mock.Reset()
		rss, procs, _, err := b.plan(v, true)
		if err != nil {
			return scenarioResult{}, fmt.Errorf("%s warm-up: %w", v.label, err)
		}
		ms[i].PeakRSSKiB, ms[i].Processes = rss, procs
	}
	for r := 0; r < b.o.runs; r++ {
		for i, v := range vs {
			b.mock.Reset()
			_, _, d, err := b.plan(v, false)
			if err != nil {
				return scenarioResult{}, fmt.Errorf("%s run %d: %w", v.label, r+1, err)
			}
			ms[i].RunsSec = append(ms[i].RunsSec, round3(d.Seconds()))
			if v.provider == "atlasinv" {
				wire = append(wire, b.wireStats(len(s.Orgs)))
			}
		}
	}
	for i := range ms {
		ms[i].MedianSec = median(ms[i].RunsSec)
	}
	out := scenarioResult{
		ID: s.ID, Title: s.Title, Auth: string(s.Auth), DataSources: len(s.Orgs), Invitations: s.total(),
		Atlasinv: ms[0], Floors: ms[1:], TimeTarget: s.TimeTarget, RSSTarget: s.RSSTarget,
		Wire: worst(wire), WireStable: stable(wire),
	}
	return out, nil
}

// plan runs terraform plan once and returns, with the launcher, the highest
// peak RSS of the provider processes it started and how many there were.
func (b *benchEnv) plan(v variant, withRSS bool) (rssKiB int64, procs int, took time.Duration, err error) {
	env := slices.Clone(v.env)
	if withRSS {
		env = append(env, "TF_CLI_CONFIG_FILE="+b.cliRSS)
		if err := os.Remove(b.rssFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, 0, 0, err
		}
	} else {
		env = append(env, "TF_CLI_CONFIG_FILE="+b.cliTimed)
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.o.planTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.o.terraform, "plan", "-refresh=false", "-input=false", "-no-color")
	cmd.Dir, cmd.Env = v.dir, env
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	took = time.Since(start)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("terraform plan: %w\n%s", err, tail(out.String(), 40))
	}
	if got, ok := outputN(out.String()); !ok || got != v.want {
		return 0, 0, 0, fmt.Errorf("plan shows n = %d (found: %v), want %d\n%s", got, ok, v.want, tail(out.String(), 40))
	}
	if withRSS {
		rssKiB, procs, err = readRSS(b.rssFile, v.provider)
		if err != nil {
			return 0, 0, 0, err
		}
	}
	return rssKiB, procs, took, nil
}

var outputNRe = regexp.MustCompile(`\+ n\s*=\s*(\d+)`)

func outputN(plan string) (int, bool) {
	m := outputNRe.FindStringSubmatch(plan)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

func readRSS(file, provider string) (int64, int, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0, 0, fmt.Errorf("launcher record: %w", err)
	}
	var peak int64
	procs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != provider {
			continue
		}
		kib, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("launcher record %q: %w", line, err)
		}
		procs++
		peak = max(peak, kib)
	}
	if procs == 0 {
		return 0, 0, fmt.Errorf("launcher recorded no %s process", provider)
	}
	return peak, procs, nil
}

// wireStats is what the mock saw during one atlasinv plan.
type wireStats struct {
	APIRequests   int     `json:"api_requests"`
	PerRead       float64 `json:"api_requests_per_read"`
	Unauthorized  int     `json:"unauthorized_401"`
	TokenRequests int     `json:"token_requests"`
	Connections   int     `json:"tcp_connections"`
}

func (b *benchEnv) wireStats(reads int) wireStats {
	var w wireStats
	for _, r := range b.mock.Requests() {
		switch {
		case r.Path == "/api/oauth/token":
			w.TokenRequests++
		case strings.HasPrefix(r.Path, "/api/atlas/"):
			w.APIRequests++
			if r.Status == http.StatusUnauthorized {
				w.Unauthorized++
			}
		}
	}
	w.PerRead = round3(float64(w.APIRequests) / float64(reads))
	w.Connections = b.mock.Connections()
	return w
}

// worst keeps the highest count of each kind over the timed plans.
func worst(ws []wireStats) wireStats {
	var out wireStats
	for _, w := range ws {
		out.APIRequests = max(out.APIRequests, w.APIRequests)
		out.PerRead = max(out.PerRead, w.PerRead)
		out.Unauthorized = max(out.Unauthorized, w.Unauthorized)
		out.TokenRequests = max(out.TokenRequests, w.TokenRequests)
		out.Connections = max(out.Connections, w.Connections)
	}
	return out
}

func stable(ws []wireStats) bool {
	for _, w := range ws[1:] {
		if w != ws[0] {
			return false
		}
	}
	return true
}

func terraformVersion(tf string) (string, error) {
	out, err := exec.Command(tf, "version", "-json").Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", tf, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return "", err
	}
	return v.Version, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return round3((s[len(s)/2-1] + s[len(s)/2]) / 2)
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

func tail(s string, lines int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}
