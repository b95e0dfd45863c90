package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// dialer knows how to open one relayed session: optionally fetch a single-use gateway ticket
// (POST .../api/realtime/client-secret with the caller's API key), then open the WebSocket
// with the ticket as the bearer credential, the way the OpenAI SDKs pass an ephemeral key.
type dialer struct {
	url       string
	ticketURL string
	apiKey    string
	model     string
	http      *http.Client
	ws        *websocket.Dialer
	retries   atomic.Int64
}

func newDialer(url, ticketURL, apiKey, model string) *dialer {
	return &dialer{
		url: url, ticketURL: ticketURL, apiKey: apiKey, model: model,
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		ws:   &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 4096},
	}
}

func (d *dialer) ticket() (string, error) {
	body := fmt.Sprintf(`{"session":{"type":"realtime","model":%q}}`, d.model)
	req, err := http.NewRequest(http.MethodPost, d.ticketURL, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+d.apiKey)
	resp, err := d.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("ticket: HTTP %d: %.200s", resp.StatusCode, raw)
	}
	var t struct {
		Value        string `json:"value"`
		ClientSecret struct {
			Value string `json:"value"`
		} `json:"client_secret"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return "", fmt.Errorf("ticket: %v", err)
	}
	if t.Value == "" {
		t.Value = t.ClientSecret.Value
	}
	if t.Value == "" {
		return "", errors.New("ticket: no value in response")
	}
	return t.Value, nil
}

func (d *dialer) dial() (*websocket.Conn, error) {
	h := http.Header{}
	if d.ticketURL != "" {
		t, err := d.ticket()
		if err != nil {
			return nil, err
		}
		h.Set("Authorization", "Bearer "+t)
	}
	c, resp, err := d.ws.Dial(d.url, h)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial: %v (HTTP %d)", err, resp.StatusCode)
		}
		return nil, fmt.Errorf("dial: %v", err)
	}
	c.SetReadLimit(32 << 20)
	return c, nil
}

// dialAll opens n sessions with bounded parallelism, up to 3 attempts each (a busy machine times
// some out); failed slots are nil, errors are the last error of each failed slot.
func (d *dialer) dialAll(n, parallel int) ([]*websocket.Conn, []string) {
	conns := make([]*websocket.Conn, n)
	var errs []string
	var mu sync.Mutex
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := d.dial()
			for attempt := 1; err != nil && attempt < 3; attempt++ {
				d.retries.Add(1)
				time.Sleep(time.Duration(attempt) * 500 * time.Millisecond)
				c, err = d.dial()
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, err.Error())
				mu.Unlock()
				return
			}
			conns[i] = c
		}(i)
	}
	wg.Wait()
	return conns, errs
}

// audioChunk is 20 ms of 24 kHz mono PCM16 (480 samples, 960 bytes), base64: a 440 Hz tone with
// a little noise, so it does not compress to nothing anywhere along the way.
func audioChunk() string {
	buf := make([]byte, 960)
	seed := uint32(12345)
	for i := 0; i < 480; i++ {
		seed = seed*1664525 + 1013904223
		noise := float64(int32(seed>>16)&0xff-128) * 8
		v := 8000*math.Sin(2*math.Pi*440*float64(i)/24000) + noise
		binary.LittleEndian.PutUint16(buf[2*i:], uint16(int16(v)))
	}
	return base64.StdEncoding.EncodeToString(buf)
}

var marker = []byte(`"event_id":"bench_`)

// parseMarker reads session, sequence and send time (ns since the run's base) from an echoed
// event_id "bench_<session>_<seq>_<ns>".
func parseMarker(data []byte) (sess, seq, ns int64, ok bool) {
	i := bytes.Index(data, marker)
	if i < 0 {
		return 0, 0, 0, false
	}
	rest := data[i+len(marker):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return 0, 0, 0, false
	}
	parts := strings.Split(string(rest[:end]), "_")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var e1, e2, e3 error
	sess, e1 = strconv.ParseInt(parts[0], 10, 64)
	seq, e2 = strconv.ParseInt(parts[1], 10, 64)
	ns, e3 = strconv.ParseInt(parts[2], 10, 64)
	return sess, seq, ns, e1 == nil && e2 == nil && e3 == nil
}

type session struct {
	id        int64
	conn      *websocket.Conn
	sent      atomic.Int64
	received  atomic.Int64
	reordered int64
	misrouted int64
	lastSeq   int64
	lat       []time.Duration
	ioErr     atomic.Value
}

func runRelay(args []string) {
	fs := flag.NewFlagSet("relay", flag.ExitOnError)
	url := fs.String("url", "", "ws:// URL of the relay (or of the upstream, for the direct baseline)")
	ticketURL := fs.String("ticket-url", "", "gateway ticket endpoint; empty = no ticket")
	apiKey := fs.String("api-key", "", "caller API key for the ticket endpoint")
	model := fs.String("model", "gpt-realtime", "model asked for in the ticket")
	n := fs.Int("n", 1, "concurrent sessions")
	rate := fs.Int("rate", 50, "messages per second per session")
	warmup := fs.Duration("warmup", 3*time.Second, "sending time not measured")
	dur := fs.Duration("duration", 15*time.Second, "measured sending time")
	pid := fs.Int("pid", 0, "relay process to sample for CPU and RSS (0 = none)")
	label := fs.String("label", "", "label echoed in the result")
	must(fs.Parse(args))

	d := newDialer(*url, *ticketURL, *apiKey, *model)
	conns, dialErrs := d.dialAll(*n, 16)
	sessions := make([]*session, 0, *n)
	for i, c := range conns {
		if c != nil {
			sessions = append(sessions, &session{id: int64(i), conn: c, lastSeq: -1})
		}
	}
	audio := audioChunk()
	period := time.Second / time.Duration(*rate)
	perSession := int(float64(*rate) * (*warmup + *dur).Seconds())

	time.Sleep(500 * time.Millisecond) // let session.created through before the clock starts
	base := time.Now()
	start := base.Add(100 * time.Millisecond)
	measureFrom := start.Add(*warmup)
	stopAt := measureFrom.Add(*dur)

	var readers, writers sync.WaitGroup
	for idx, s := range sessions {
		s.lat = make([]time.Duration, 0, int(float64(*rate)*dur.Seconds())+16)
		readers.Add(1)
		go func(s *session) {
			defer readers.Done()
			for {
				_, data, err := s.conn.ReadMessage()
				if err != nil {
					s.ioErr.CompareAndSwap(nil, "read: "+err.Error())
					return
				}
				now := time.Since(base)
				sess, seq, ns, ok := parseMarker(data)
				if !ok {
					continue // session.created and anything else the relay adds
				}
				if sess != s.id {
					s.misrouted++
					continue
				}
				if seq <= s.lastSeq {
					s.reordered++
				} else {
					s.lastSeq = seq
				}
				s.received.Add(1)
				if base.Add(time.Duration(ns)).After(measureFrom) || base.Add(time.Duration(ns)).Equal(measureFrom) {
					s.lat = append(s.lat, now-time.Duration(ns))
				}
			}
		}(s)
		// Phases spread evenly over one period so N sessions do not send in lock step.
		phase := time.Duration(int64(period) * int64(idx) / int64(len(sessions)))
		writers.Add(1)
		go func(s *session, phase time.Duration) {
			defer writers.Done()
			buf := make([]byte, 0, len(audio)+160)
			for k := 0; k < perSession; k++ {
				intended := start.Add(phase + time.Duration(k)*period)
				if intended.After(stopAt) {
					break
				}
				if w := time.Until(intended); w > 0 {
					time.Sleep(w)
				}
				// Latency counts from the intended send time (no coordinated omission).
				ns := intended.Sub(base).Nanoseconds()
				buf = buf[:0]
				buf = append(buf, `{"type":"input_audio_buffer.append","event_id":"bench_`...)
				buf = strconv.AppendInt(buf, s.id, 10)
				buf = append(buf, '_')
				buf = strconv.AppendInt(buf, int64(k), 10)
				buf = append(buf, '_')
				buf = strconv.AppendInt(buf, ns, 10)
				buf = append(buf, `","audio":"`...)
				buf = append(buf, audio...)
				buf = append(buf, `"}`...)
				if err := s.conn.WriteMessage(websocket.TextMessage, buf); err != nil {
					s.ioErr.CompareAndSwap(nil, "write: "+err.Error())
					return
				}
				s.sent.Add(1)
			}
		}(s, phase)
	}

	// Sample the relay process while the load runs.
	var cpuFrom, cpuTo float64
	var rssMax, rssEnd int64
	sampleDone := make(chan struct{})
	go func() {
		defer close(sampleDone)
		if *pid == 0 {
			return
		}
		time.Sleep(time.Until(measureFrom))
		cpuFrom = procCPUSeconds(*pid)
		for time.Now().Before(stopAt) {
			if r := procRSSKiB(*pid); r > rssMax {
				rssMax = r
			}
			time.Sleep(250 * time.Millisecond)
		}
		cpuTo = procCPUSeconds(*pid)
		rssEnd = procRSSKiB(*pid)
	}()

	writers.Wait()
	<-sampleDone
	// Drain: wait until every sent message came back, or nothing has arrived for 5 s, at most 30 s.
	drainUntil := time.Now().Add(30 * time.Second)
	lastProgress, lastTotal := time.Now(), int64(-1)
	for time.Now().Before(drainUntil) && time.Since(lastProgress) < 5*time.Second {
		var got, want int64
		for _, s := range sessions {
			got += s.received.Load()
			if s.ioErr.Load() == nil {
				want += s.sent.Load()
			} else {
				want += s.received.Load()
			}
		}
		if got >= want {
			break
		}
		if got != lastTotal {
			lastTotal, lastProgress = got, time.Now()
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, s := range sessions {
		s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bench done"), time.Now().Add(time.Second))
	}
	time.Sleep(200 * time.Millisecond)
	for _, s := range sessions {
		s.conn.Close()
	}
	readers.Wait()

	var sent, received, reordered, misrouted int64
	var ioErrs []string
	var all []time.Duration
	for _, s := range sessions {
		sent += s.sent.Load()
		received += s.received.Load()
		reordered += s.reordered
		misrouted += s.misrouted
		all = append(all, s.lat...)
		if e, ok := s.ioErr.Load().(string); ok && !strings.Contains(e, "use of closed") && !strings.Contains(e, "close 1000") {
			ioErrs = append(ioErrs, e)
		}
	}
	sortDurations(all)
	cpuPct := -1.0
	if *pid != 0 && cpuTo >= cpuFrom {
		cpuPct = (cpuTo - cpuFrom) / dur.Seconds() * 100
	}
	emit(map[string]any{
		"label": *label, "sessions": *n, "connected": len(sessions), "rate_per_session": *rate,
		"duration_s": dur.Seconds(), "sent": sent, "received": received, "lost": sent - received,
		"reordered": reordered, "misrouted": misrouted,
		"connect_errors": len(dialErrs), "connect_retries": d.retries.Load(), "first_connect_error": first(dialErrs),
		"io_errors": len(ioErrs), "first_io_error": first(ioErrs),
		"samples": len(all), "p50_ms": percentile(all, 50), "p90_ms": percentile(all, 90),
		"p99_ms": percentile(all, 99), "p999_ms": percentile(all, 99.9), "max_ms": percentile(all, 100),
		"cpu_pct": round1(cpuPct), "rss_max_kib": rssMax, "rss_end_kib": rssEnd,
	})
}

// runIdle opens n sessions, reports how many are up, then holds them idle until the release file
// appears (or max-hold passes), and reports how many the relay dropped meanwhile.
func runIdle(args []string) {
	fs := flag.NewFlagSet("idle", flag.ExitOnError)
	url := fs.String("url", "", "ws:// URL of the relay")
	ticketURL := fs.String("ticket-url", "", "gateway ticket endpoint; empty = no ticket")
	apiKey := fs.String("api-key", "", "caller API key for the ticket endpoint")
	model := fs.String("model", "gpt-realtime", "model asked for in the ticket")
	n := fs.Int("n", 1000, "sessions to hold")
	release := fs.String("release-file", "", "close everything once this file exists")
	maxHold := fs.Duration("max-hold", 2*time.Minute, "close everything after this long regardless")
	must(fs.Parse(args))

	d := newDialer(*url, *ticketURL, *apiKey, *model)
	conns, errs := d.dialAll(*n, 16)
	var dropped atomic.Int64
	var wg sync.WaitGroup
	up := 0
	for _, c := range conns {
		if c == nil {
			continue
		}
		up++
		wg.Add(1)
		go func(c *websocket.Conn) {
			defer wg.Done()
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		}(c)
	}
	time.Sleep(time.Second) // upstream legs are opened asynchronously by some relays
	emit(map[string]any{"event": "connected", "sessions": *n, "connected": up, "connect_errors": len(errs),
		"connect_retries": d.retries.Load(), "first_connect_error": first(errs)})
	deadline := time.Now().Add(*maxHold)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(*release); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Before closing, probe that each session is still alive: a ping must not fail.
	for _, c := range conns {
		if c != nil && c.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second)) != nil {
			dropped.Add(1)
		}
	}
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
	wg.Wait()
	emit(map[string]any{"event": "released", "dropped_while_idle": dropped.Load()})
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// procCPUSeconds is utime+stime of a process, from /proc/<pid>/stat.
func procCPUSeconds(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseFloat(fields[11], 64)
	st, _ := strconv.ParseFloat(fields[12], 64)
	return (ut + st) / 100 // USER_HZ is 100 on Linux
}

// procRSSKiB is VmRSS of a process, from /proc/<pid>/status.
func procRSSKiB(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			v, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return v
		}
	}
	return -1
}
