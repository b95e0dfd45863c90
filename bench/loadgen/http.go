package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// runHTTP sends POSTs open-loop at a fixed rate (like wrk2): request i is due at start + i/rate
// whether or not earlier ones have answered, and its latency counts from that due time, so a
// stalled server is not hidden by a stalled client (no coordinated omission).
func runHTTP(args []string) {
	fs := flag.NewFlagSet("http", flag.ExitOnError)
	url := fs.String("url", "", "target URL")
	body := fs.String("body", "{}", "JSON request body")
	apiKey := fs.String("api-key", "", "sent as Authorization: Bearer")
	rate := fs.Int("rate", 1000, "requests per second")
	warmup := fs.Duration("warmup", 3*time.Second, "load not measured")
	dur := fs.Duration("duration", 15*time.Second, "measured load")
	maxInflight := fs.Int("max-inflight", 2000, "cap on outstanding requests (excess counts as an error)")
	expect := fs.Int("expect", 201, "expected status")
	label := fs.String("label", "", "label echoed in the result")
	must(fs.Parse(args))

	tr := &http.Transport{MaxIdleConns: *maxInflight, MaxIdleConnsPerHost: *maxInflight, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	total := int(float64(*rate) * (*warmup + *dur).Seconds())
	measured := int(float64(*rate) * dur.Seconds())
	lat := make([]time.Duration, 0, measured)
	var mu sync.Mutex
	var inflight, errs, badStatus, overflow atomic.Int64
	var firstErr atomic.Value
	start := time.Now().Add(50 * time.Millisecond)
	measureFrom := start.Add(*warmup)
	var wg sync.WaitGroup
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(int64(i) * int64(time.Second) / int64(*rate)))
		if w := time.Until(due); w > 0 {
			time.Sleep(w)
		}
		if inflight.Load() >= int64(*maxInflight) {
			overflow.Add(1)
			continue
		}
		inflight.Add(1)
		wg.Add(1)
		go func(due time.Time) {
			defer wg.Done()
			defer inflight.Add(-1)
			req, _ := http.NewRequest(http.MethodPost, *url, bytes.NewReader([]byte(*body)))
			req.Header.Set("Content-Type", "application/json")
			if *apiKey != "" {
				req.Header.Set("Authorization", "Bearer "+*apiKey)
			}
			resp, err := client.Do(req)
			if err != nil {
				errs.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			took := time.Since(due)
			if resp.StatusCode != *expect {
				badStatus.Add(1)
				firstErr.CompareAndSwap(nil, fmt.Sprintf("HTTP %d", resp.StatusCode))
				return
			}
			if !due.Before(measureFrom) {
				mu.Lock()
				lat = append(lat, took)
				mu.Unlock()
			}
		}(due)
	}
	wg.Wait()
	elapsed := time.Since(measureFrom)
	sortDurations(lat)
	fe, _ := firstErr.Load().(string)
	emit(map[string]any{
		"label": *label, "rate": *rate, "duration_s": dur.Seconds(), "warmup_s": warmup.Seconds(), "ok": len(lat),
		"achieved_rps": round1(float64(len(lat)) / elapsed.Seconds()),
		"errors": errs.Load(), "bad_status": badStatus.Load(), "overflow": overflow.Load(), "first_error": fe,
		"p50_ms": percentile(lat, 50), "p90_ms": percentile(lat, 90), "p99_ms": percentile(lat, 99),
		"p999_ms": percentile(lat, 99.9), "max_ms": percentile(lat, 100),
	})
}

// runStartup starts a command n times and measures the time from fork to the first answer from
// url that satisfies the check (HTTP 200 with a body containing "UP", or any HTTP answer with
// -any-status), then stops it with SIGTERM.
func runStartup(args []string) {
	fs := flag.NewFlagSet("startup", flag.ExitOnError)
	url := fs.String("url", "", "URL polled until ready")
	reps := fs.Int("n", 5, "repetitions")
	anyStatus := fs.Bool("any-status", false, "any HTTP answer counts as ready")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on one start after this long")
	logFile := fs.String("log", "/dev/null", "append the process's output here")
	label := fs.String("label", "", "label echoed in the result")
	rssAfter := fs.Duration("rss-after", 0, "once ready, wait this long and read the process's RSS (0: no RSS)")
	must(fs.Parse(args))
	cmdline := fs.Args()
	if len(cmdline) == 0 {
		must(fmt.Errorf("startup: no command after --"))
	}
	client := &http.Client{Timeout: 500 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	log, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	must(err)
	var times []float64
	var rss []int64
	failures := 0
	for r := 0; r < *reps; r++ {
		cmd := exec.Command(cmdline[0], cmdline[1:]...)
		cmd.Stdout, cmd.Stderr = log, log
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		t0 := time.Now()
		must(cmd.Start())
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		ready := false
		for time.Since(t0) < *timeout && !ready {
			select {
			case <-exited:
				must(fmt.Errorf("startup: %s exited before it was ready (see %s)", cmdline[0], *logFile))
			default:
			}
			resp, err := client.Get(*url)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				ready = *anyStatus || (resp.StatusCode == 200 && strings.Contains(string(b), "UP"))
			}
			if !ready {
				time.Sleep(5 * time.Millisecond)
			}
		}
		took := time.Since(t0)
		if ready && *rssAfter > 0 { // RSS at idle after ready: of the command itself (java, the executable, node)
			time.Sleep(*rssAfter)
			rss = append(rss, procRSSKiB(cmd.Process.Pid))
		}
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second): // a JVM writing a CDS archive at exit takes a while
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if ready {
			times = append(times, float64(took.Microseconds())/1000)
		} else {
			failures++
		}
		time.Sleep(300 * time.Millisecond) // let the port go
	}
	sort.Float64s(times)
	median := -1.0
	if len(times) > 0 {
		median = times[len(times)/2]
	}
	result := map[string]any{"label": *label, "runs_ms": times, "median_ms": median, "failures": failures}
	if *rssAfter > 0 {
		sort.Slice(rss, func(i, j int) bool { return rss[i] < rss[j] })
		result["rss_after_s"] = rssAfter.Seconds()
		result["rss_kib"] = rss
		if len(rss) > 0 {
			result["rss_median_kib"] = rss[len(rss)/2]
		}
	}
	emit(result)
}
