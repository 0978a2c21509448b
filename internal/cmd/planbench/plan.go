package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

type benchEnv struct {
	o       options
	baseURL string
	mock    *mockatlas.Server
	// cliTimed and cliLaunch are CLI configurations whose dev_overrides
	// point at the real providers and at the launchers.
	cliTimed, cliLaunch string
	launchFile          string   // what the launchers record
	base                []string // environment every plan starts from
}

func newBench(o options, baseURL string, mock *mockatlas.Server) (*benchEnv, error) {
	providers, err := filepath.Abs(o.providers)
	if err != nil {
		return nil, err
	}
	work, err := filepath.Abs(o.work)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"atlasinv", "floor"} {
		if _, err := os.Stat(filepath.Join(providers, "terraform-provider-"+name)); err != nil {
			return nil, fmt.Errorf("provider binary: %w", err)
		}
	}
	launchers := filepath.Join(work, "launchers")
	if err := os.MkdirAll(launchers, 0o755); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	// Terraform runs a provider by the path it found it at, so the link's
	// name is the launcher's os.Args[0].
	for _, name := range []string{"atlasinv", "floor"} {
		if err := os.Symlink(self, filepath.Join(launchers, "terraform-provider-"+name)); err != nil {
			return nil, err
		}
	}
	b := &benchEnv{o: o, baseURL: baseURL, mock: mock,
		cliTimed:   filepath.Join(work, "timed.tfrc"),
		cliLaunch:  filepath.Join(work, "launch.tfrc"),
		launchFile: filepath.Join(work, "launch.txt"),
	}
	for file, dir := range map[string]string{b.cliTimed: providers, b.cliLaunch: launchers} {
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
		envRealDir+"="+providers, envRSSFile+"="+b.launchFile)
	b.o.work = work
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
	root := filepath.Join(b.o.work, s.dirName())
	auth := []string{"MONGODB_ATLAS_BASE_URL=" + b.baseURL}
	switch s.Auth {
	case authDigest:
		auth = append(auth, "MONGODB_ATLAS_PUBLIC_API_KEY="+mockatlas.DemoPublicKey,
			"MONGODB_ATLAS_PRIVATE_API_KEY="+mockatlas.DemoPrivateKey)
	case authServiceAccount:
		auth = append(auth, "MONGODB_ATLAS_CLIENT_ID="+mockatlas.DemoClientID,
			"MONGODB_ATLAS_CLIENT_SECRET="+mockatlas.DemoClientSecret)
	case authAccessToken:
		auth = append(auth, "MONGODB_ATLAS_ACCESS_TOKEN="+benchAccessToken)
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

// scenario runs one warm-up (through the launchers) and o.runs timed plans
// per variant.
func (b *benchEnv) scenario(s scenario) (scenarioResult, error) {
	vs, err := b.variants(s)
	if err != nil {
		return scenarioResult{}, err
	}
	if s.Fault != nil {
		b.mock.SetFault(s.Fault)
		defer b.mock.SetFault(nil)
	}
	if s.PageDelay > 0 {
		b.mock.SetUsersPageDelay(s.PageDelay)
		defer b.mock.SetUsersPageDelay(0)
	}
	if s.Latency > 0 {
		b.mock.SetLatency(s.Latency)
		defer b.mock.SetLatency(0)
	}
	ms := make([]measurement, len(vs))
	for i, v := range vs {
		ms[i].Label = v.label
		b.mock.Reset()
		p, err := b.plan(v, true)
		if err != nil {
			return scenarioResult{}, fmt.Errorf("%s warm-up: %w", v.label, err)
		}
		ms[i].Warmup = p.launched
	}
	var wire []wireStats
	for r := 0; r < b.o.runs; r++ {
		for i, v := range vs {
			b.mock.Reset()
			p, err := b.plan(v, false)
			if err != nil {
				return scenarioResult{}, fmt.Errorf("%s run %d: %w", v.label, r+1, err)
			}
			ms[i].RunsSec = append(ms[i].RunsSec, round3(p.wall.Seconds()))
			ms[i].CPURunsSec = append(ms[i].CPURunsSec, round3(p.cpu.Seconds()))
			ms[i].RSSRunsKiB = append(ms[i].RSSRunsKiB, p.peakRSS)
			if v.provider == "atlasinv" {
				wire = append(wire, b.wireStats(len(s.Orgs)))
			}
		}
	}
	for i := range ms {
		ms[i].MedianSec = round3(median(ms[i].RunsSec))
		ms[i].CPUMedianSec = round3(median(ms[i].CPURunsSec))
		ms[i].PeakRSSKiB = median(ms[i].RSSRunsKiB)
	}
	return scenarioResult{
		ID: s.ID, Title: s.Title, Auth: string(s.Auth), DataSources: len(s.Orgs), Invitations: s.total(),
		Atlasinv: ms[0], Floors: ms[1:], TimeTarget: s.TimeTarget, RSSTarget: s.RSSTarget,
		Wire: worst(wire), WireRuns: wire,
		WireStable: !slices.ContainsFunc(wire, func(w wireStats) bool { return w != wire[0] }),
	}, nil
}

// planResult is what one terraform plan measured.
type planResult struct {
	wall     time.Duration
	cpu      time.Duration // terraform and the provider processes it started and reaped
	peakRSS  int64         // KiB, sampled from /proc; timed plans only
	launched launchStats   // warm-up plans only
}

// plan runs terraform plan once, through the launchers or not.
func (b *benchEnv) plan(v variant, launch bool) (planResult, error) {
	env := slices.Clone(v.env)
	if launch {
		env = append(env, "TF_CLI_CONFIG_FILE="+b.cliLaunch)
		if err := os.Remove(b.launchFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return planResult{}, err
		}
	} else {
		env = append(env, "TF_CLI_CONFIG_FILE="+b.cliTimed)
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.o.planTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.o.terraform, "plan", "-refresh=false", "-input=false", "-no-color")
	cmd.Dir, cmd.Env = v.dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	var res planResult
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	var peak <-chan int64
	stop := make(chan struct{})
	if !launch {
		peak = watchPeakRSS(cmd.Process.Pid, "terraform-provider-"+v.provider, stop)
	}
	err := cmd.Wait()
	res.wall = time.Since(start)
	close(stop)
	if peak != nil {
		res.peakRSS = <-peak
	}
	if err != nil {
		return res, fmt.Errorf("terraform plan: %w\n%s", err, tail(out.String(), 40))
	}
	res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if got, ok := outputN(out.String()); !ok || got != v.want {
		return res, fmt.Errorf("plan shows n = %d (found: %v), want %d\n%s", got, ok, v.want, tail(out.String(), 40))
	}
	if launch {
		if res.launched, err = readLaunched(b.launchFile, v.provider); err != nil {
			return res, err
		}
	}
	return res, nil
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

// wireStats is what the mock saw during one atlasinv plan.
type wireStats struct {
	APIRequests   int     `json:"api_requests"`
	PerRead       float64 `json:"api_requests_per_read"`
	Unauthorized  int     `json:"unauthorized_401"`
	TokenRequests int     `json:"token_requests"`
	Connections   int     `json:"tcp_connections"`
	// Answered (not 401) requests to two endpoints of the API requests:
	// pages of the org users API, and getOrganization.
	UsersPages int `json:"users_pages"`
	OrgReads   int `json:"org_reads"`
}

func (b *benchEnv) wireStats(reads int) wireStats {
	w := countRequests(b.mock.Requests(), reads)
	w.Connections = b.mock.Connections()
	return w
}

// countRequests is wireStats without the connections: what reqs, the
// record of a plan with reads data source reads, holds.
func countRequests(reqs []mockatlas.Request, reads int) wireStats {
	var w wireStats
	for _, r := range reqs {
		switch {
		case r.Path == "/api/oauth/token":
			w.TokenRequests++
		case strings.HasPrefix(r.Path, "/api/atlas/"):
			w.APIRequests++
			if r.Status == http.StatusUnauthorized {
				w.Unauthorized++
				continue
			}
			if rest, ok := strings.CutPrefix(r.Path, "/api/atlas/v2/orgs/"); ok {
				switch org, sub, found := strings.Cut(rest, "/"); {
				case org != "" && !found:
					w.OrgReads++
				case org != "" && sub == "users":
					w.UsersPages++
				}
			}
		}
	}
	w.PerRead = round3(float64(w.APIRequests) / float64(reads))
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
		out.UsersPages = max(out.UsersPages, w.UsersPages)
		out.OrgReads = max(out.OrgReads, w.OrgReads)
	}
	return out
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

// median of xs; 0 for none. An even count averages the middle two.
func median[T int64 | float64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

func tail(s string, lines int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}
