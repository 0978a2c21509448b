package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// How a provider's peak memory and CPU time are measured. Timed plans
// sample the peak resident set from /proc (watchPeakRSS), which adds no
// process between Terraform and the provider. Warm-up plans run each
// provider through a launcher, which gets the exact figures from the
// kernel when the provider exits.
//
// The launcher: planbench copies itself
// into a directory as terraform-provider-<name>; when Terraform starts that
// copy, it runs the real provider binary of the same name (in
// $PLANBENCH_REAL_DIR) as a child with the same stdio and environment, waits
// for it, and appends "<name> <pid> <maxrss KiB> <cpu µs>" to
// $PLANBENCH_RSS_FILE. The child's rusage is that of the provider process
// itself, launcher excluded: Maxrss its peak resident set, user + system its
// CPU time.

const (
	envRealDir = "PLANBENCH_REAL_DIR"
	envRSSFile = "PLANBENCH_RSS_FILE"
)

// isLauncher reports whether this process was started as a provider.
func isLauncher() bool {
	return strings.HasPrefix(filepath.Base(os.Args[0]), "terraform-provider-")
}

func launch() int {
	name := filepath.Base(os.Args[0])
	realDir := os.Getenv(envRealDir)
	if realDir == "" {
		fmt.Fprintln(os.Stderr, "planbench launcher: "+envRealDir+" is not set")
		return 1
	}
	cmd := exec.Command(filepath.Join(realDir, name), os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "planbench launcher:", err)
		return 1
	}
	go func() {
		for s := range sig {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if f := os.Getenv(envRSSFile); f != "" {
			cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			line := fmt.Sprintf("%s %d %d %d\n", strings.TrimPrefix(name, "terraform-provider-"), cmd.Process.Pid,
				ru.Maxrss, cpu.Microseconds())
			if out, oerr := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); oerr == nil {
				_, _ = out.WriteString(line)
				_ = out.Close()
			}
		}
	}
	if err != nil {
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return cmd.ProcessState.ExitCode()
	}
	return 0
}

// launchStats is what the launchers recorded for one plan.
type launchStats struct {
	PeakRSSKiB int64   `json:"peak_rss_kib"`       // the highest of the provider processes
	CPUSec     float64 `json:"cpu_s"`              // all the provider processes together
	Processes  int     `json:"provider_processes"` // how many Terraform started
}

func readLaunched(file, provider string) (launchStats, error) {
	var st launchStats
	data, err := os.ReadFile(file)
	if err != nil {
		return st, fmt.Errorf("launcher record: %w", err)
	}
	var cpuMicros int64
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || f[0] != provider {
			continue
		}
		kib, err1 := strconv.ParseInt(f[2], 10, 64)
		us, err2 := strconv.ParseInt(f[3], 10, 64)
		if err1 != nil || err2 != nil {
			return st, fmt.Errorf("launcher record %q", line)
		}
		st.Processes++
		st.PeakRSSKiB = max(st.PeakRSSKiB, kib)
		cpuMicros += us
	}
	if st.Processes == 0 {
		return st, fmt.Errorf("launcher recorded no %s process", provider)
	}
	st.CPUSec = round3(float64(cpuMicros) / 1e6)
	return st, nil
}

// watchPeakRSS samples, until stop closes, the peak resident set (VmHWM) of
// every child of pid whose program is named name, and sends the highest.
// VmHWM only grows, and the provider outlives its peak (it waits for
// Terraform to finish the walk), so sampling every few milliseconds sees it.
func watchPeakRSS(pid int, name string, stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			for _, child := range children(pid) {
				if programName(child) == name {
					peak = max(peak, vmHWM(child))
				}
			}
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// children lists the child processes of pid (all its threads' children).
func children(pid int) []int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var out []int
	for _, t := range tasks {
		data, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func programName(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return ""
	}
	arg0, _, _ := bytes.Cut(data, []byte{0})
	return filepath.Base(string(arg0))
}

// vmHWM is a process's peak resident set in KiB, 0 if it is gone.
func vmHWM(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kib
		}
	}
	return 0
}
