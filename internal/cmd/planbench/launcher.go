package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

// The launcher measures a provider's peak memory. planbench copies itself
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
