// Command mockatlas runs the mock Atlas Admin API on loopback, for trying the
// provider without an Atlas account.
//
//	mockatlas                          print the URL and demo credentials, serve until Ctrl-C
//	mockatlas -- terraform plan        serve, run the command with MONGODB_ATLAS_* set, stop
//	mockatlas -dir examples/demo -- terraform plan
//	                                   ... in another directory (by default the caller's)
//	mockatlas -env-file f.env &        serve in the background; source f.env once it exists
//	mockatlas -orgs 3 -invites 1000    also serve 3 generated organizations
//	mockatlas -orgs 1 -invites 10000 -page-latency 50ms
//	                                   ... with 10,000 invitations, so as many pending
//	                                   users, 50 ms per users page
//	mockatlas -retire-invitations      the invitations API answers 410 VERSION_GONE
//	mockatlas -sunset "Tue, 15 Sep 2026 00:00:00 GMT"
//	                                   another Sunset header on deprecated answers
//	mockatlas -orgs 2 -org-keys        also one API key per organization, seeing only it
//	mockatlas -readonly-key            also an Organization Read Only key (refused: 401)
//	mockatlas -latency 100ms           every answer waits 100 ms, like a distant Atlas
//	mockatlas -relative-dates          invitations of every age up to 30 days, expired ones
//	                                   as INVITATION_EXPIRED users
//
// From outside the repository, `make -C <repo> mock ARGS='terraform plan'`
// or `go run -C <repo> ./internal/cmd/mockatlas -- terraform plan` runs the
// command in the directory the user stands in, not in the repository.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/atlasinv/terraform-provider-atlasinv/internal/mockatlas"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run returns the process exit code, so every deferred cleanup (stopping the
// server, removing the env file) happens before main exits.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mockatlas", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen `address` (loopback only; port 0 picks a free one)")
	demo := fs.Bool("demo", true, "serve the demo organization "+mockatlas.DemoOrgID)
	orgs := fs.Int("orgs", 0, "also serve `N` generated organizations (ids are printed and stable)")
	invites := fs.Int("invites", 10, "invitations per generated organization")
	users := fs.Int("users", 10, "users per generated organization besides its invitees (ACTIVE, INVITATION_EXPIRED, INVITATION_REJECTED in turn); "+
		"every invitation has its PENDING user")
	pageLatency := fs.Duration("page-latency", 0, "wait `duration` before answering each page of the org users API")
	latency := fs.Duration("latency", 0, "wait `duration` before every answer, on every endpoint (adds to -page-latency)")
	orgKeys := fs.Bool("org-keys", false, "give each organization an API key of its own that sees only that organization (printed)")
	readOnly := fs.Bool("readonly-key", false, "also accept an API key with Organization Read Only, which every endpoint but the organizations list refuses (printed)")
	relative := fs.Bool("relative-dates", false, "date the invitations and users relative to now instead of the fixed dates of the tests: "+
		"open invitations made from hours to 29 days ago (one expiring within a day), and invitations older than 30 days "+
		"shown only as INVITATION_EXPIRED users, not by the invitations API (the mock's reading); dates are set at start")
	sunset := fs.String("sunset", mockatlas.SunsetDate, "Sunset header (an HTTP `date`) of the deprecated answers")
	retire := fs.Bool("retire-invitations", false, "answer the invitations API with 410 VERSION_GONE, as Atlas does past the Sunset date")
	quiet := fs.Bool("quiet", false, "no banner comments and no request log (the keys -org-keys and -readonly-key add are still printed)")
	envFile := fs.String("env-file", "", "once listening, write the MONGODB_ATLAS_* export lines to `path` (removed on exit)")
	dir := fs.String("dir", "", "run the command in `directory` (default: the caller's directory, $PWD, which go run -C and make -C leave unchanged); "+
		"a relative -dir or -env-file is taken from the caller's directory")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: mockatlas [flags] [-- command [args...]]\n\n"+
			"Serves a mock MongoDB Atlas organizations, invitations and org users API on loopback. With a command, runs it\n"+
			"with MONGODB_ATLAS_BASE_URL and the demo API key exported, then stops and exits\n"+
			"with the command's status. Without one, prints the settings and serves until\n"+
			"interrupted.\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := checkLoopback(*addr); err != nil {
		fmt.Fprintln(stderr, "mockatlas:", err)
		return 2
	}
	if *orgs < 0 || *invites < 0 || *users < 0 || *pageLatency < 0 || *latency < 0 {
		fmt.Fprintln(stderr, "mockatlas: -orgs, -invites, -users, -page-latency and -latency cannot be negative")
		return 2
	}
	caller, err := callerDir()
	if err != nil {
		fmt.Fprintln(stderr, "mockatlas:", err)
		return 1
	}
	workDir := fromCaller(caller, *dir)
	if fi, err := os.Stat(workDir); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "mockatlas: -dir %q: not a directory\n", workDir)
		return 2
	}
	if *envFile != "" {
		*envFile = fromCaller(caller, *envFile)
	}

	o := options{demo: *demo, orgs: *orgs, invites: *invites, users: *users, orgKeys: *orgKeys, readOnlyKey: *readOnly}
	if *relative {
		o.now = time.Now()
	}
	s, generated := newServer(o)
	s.SetUsersPageDelay(*pageLatency)
	s.SetLatency(*latency)
	s.SetSunset(*sunset)
	s.RetireInvitations(*retire)
	if !*quiet {
		s.OnRequest(func(r mockatlas.Request) { logRequest(stderr, r) })
	}

	// Catch signals before listening, so that Ctrl-C always goes through
	// the cleanup (stop the server, remove the env file).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "mockatlas:", err)
		return 1
	}
	// "localhost" could resolve to anything; check what we actually got.
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		_ = ln.Close()
		fmt.Fprintf(stderr, "mockatlas: %s is not a loopback address\n", ln.Addr())
		return 2
	}
	srv := s.Serve(ln)
	defer stop(srv)
	baseURL := "http://" + ln.Addr().String()

	if *envFile != "" {
		if err := writeEnvFile(*envFile, baseURL); err != nil {
			fmt.Fprintln(stderr, "mockatlas:", err)
			return 1
		}
		defer os.Remove(*envFile)
	}

	if cmdArgs := fs.Args(); len(cmdArgs) > 0 {
		if !*quiet {
			fmt.Fprintf(stderr, "mockatlas: serving on %s\n", baseURL)
			printOrgs(stderr, o, generated)
			fmt.Fprintf(stderr, "mockatlas: running %s in %s\n", strings.Join(cmdArgs, " "), workDir)
		}
		printKeys(stderr, o, generated)
		return runCommand(cmdArgs, workDir, baseURL, sig, stderr)
	}

	if !*quiet {
		fmt.Fprintf(stdout, "# mockatlas: mock Atlas API on %s (Ctrl-C to stop)\n", baseURL)
		printOrgs(stdout, o, generated)
	}
	for _, kv := range apiKeyEnv(baseURL) {
		fmt.Fprintf(stdout, "export %s\n", kv)
	}
	if !*quiet {
		fmt.Fprintln(stdout, "# or, as a service account (instead of the API key):")
		for _, kv := range serviceAccountEnv() {
			fmt.Fprintf(stdout, "# export %s\n", kv)
		}
	}
	printKeys(stdout, o, generated)
	<-sig
	return 0
}

// checkLoopback refuses anything but a loopback host: the mock accepts
// published demo credentials and must not be reachable from the network.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: refusing a non-loopback address; use 127.0.0.1, [::1] or localhost", addr)
	}
	return nil
}

func apiKeyEnv(baseURL string) []string {
	return []string{
		"MONGODB_ATLAS_BASE_URL=" + baseURL,
		"MONGODB_ATLAS_PUBLIC_API_KEY=" + mockatlas.DemoPublicKey,
		"MONGODB_ATLAS_PRIVATE_API_KEY=" + mockatlas.DemoPrivateKey,
	}
}

func serviceAccountEnv() []string {
	return []string{
		"MONGODB_ATLAS_CLIENT_ID=" + mockatlas.DemoClientID,
		"MONGODB_ATLAS_CLIENT_SECRET=" + mockatlas.DemoClientSecret,
	}
}

// writeEnvFile writes the export lines atomically (temp file + rename), so a
// script polling for the file never reads half of it.
func writeEnvFile(path, baseURL string) error {
	var b strings.Builder
	for _, kv := range append(apiKeyEnv(baseURL), serviceAccountEnv()...) {
		fmt.Fprintf(&b, "export %s\n", kv)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mockatlas-env-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return nil
}

// callerDir is the directory the user ran mockatlas from. `go run -C` and
// `make -C` change the working directory to the repository but leave $PWD,
// which the shell keeps, as it was: $PWD wins when it names a directory.
// (A recipe's shell resets $PWD, so the mock target passes -dir itself.)
func callerDir() (string, error) {
	if pwd := os.Getenv("PWD"); filepath.IsAbs(pwd) {
		if fi, err := os.Stat(pwd); err == nil && fi.IsDir() {
			return pwd, nil
		}
	}
	return os.Getwd()
}

// fromCaller is path taken from the caller's directory: the user wrote it
// where they stand, not where `go run -C` moved the process.
func fromCaller(caller, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(caller, path)
}

// runCommand runs the command in dir with the mock's settings and returns
// its exit code (127 if it cannot start, 128+n if a signal killed it).
func runCommand(args []string, dir, baseURL string, sig <-chan os.Signal, stderr io.Writer) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = childEnv(os.Environ(), dir, baseURL)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "mockatlas:", err)
		return 127
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case s := <-sig:
			// Ctrl-C already reached the child through the terminal's
			// process group; sending it again would make Terraform
			// abort instead of stopping gracefully. SIGTERM is ours alone.
			if s == syscall.SIGTERM {
				_ = cmd.Process.Signal(s)
			}
		case err := <-done:
			return exitCode(err)
		}
	}
}

// childEnv drops every MONGODB_ATLAS_* and MCLI_* variable from the parent
// (a real access token or service account would win over the demo key) and
// adds the mock's, and PWD set to the child's directory, as a shell would.
func childEnv(parent []string, dir, baseURL string) []string {
	env := make([]string, 0, len(parent)+4)
	for _, kv := range parent {
		if strings.HasPrefix(kv, "MONGODB_ATLAS_") || strings.HasPrefix(kv, "MCLI_") || strings.HasPrefix(kv, "PWD=") {
			continue
		}
		env = append(env, kv)
	}
	return append(append(env, "PWD="+dir), apiKeyEnv(baseURL)...)
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return 1
	}
	if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return exitErr.ExitCode()
}

func stop(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
}

func printOrgs(w io.Writer, o options, generated []string) {
	if o.demo {
		invites, users := len(mockatlas.DemoInvitations()), len(mockatlas.DemoUsers())
		if !o.now.IsZero() {
			invites, users = len(mockatlas.DemoInvitationsAt(o.now)), len(mockatlas.DemoUsersAt(o.now))
		}
		fmt.Fprintf(w, "# demo organization: %s %s (%d invitations, %d users)\n", mockatlas.DemoOrgID, mockatlas.DemoOrgName, invites, users)
	}
	if len(generated) > 0 {
		fmt.Fprintf(w, "# generated organizations, %d invitations (each with its pending user) and %d other users each:\n", o.invites, o.users)
		for _, id := range generated {
			fmt.Fprintf(w, "#   %s %s\n", id, mockatlas.GeneratedOrgName(id))
		}
	}
}

func logRequest(w io.Writer, r mockatlas.Request) {
	target := r.Path
	if r.RawQuery != "" {
		target += "?" + r.RawQuery
	}
	who := string(r.Auth)
	if r.Principal != "" {
		who += " " + r.Principal
	}
	if r.Auth != mockatlas.AuthNone && !r.Authenticated {
		who += " (rejected)"
	}
	fmt.Fprintf(w, "mockatlas: %s %s -> %d [%s]\n", r.Method, target, r.Status, who)
}
