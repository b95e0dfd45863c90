package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// The benchmark rows of the paths around the relay: admission (ticket, upgrade), the WebRTC SDP exchange,
// an operator console's live feed, and a slow reader's buffered bytes.

// runAdmit times what a client waits for before it can relay: POST a ticket, open the WebSocket with it (the
// gateway redeems the ticket and takes a session lease before it answers 101), and the first upstream event
// (session.created, once the upstream leg is open); then it closes the session. c workers do n sessions in all.
func runAdmit(args []string) {
	fs := flag.NewFlagSet("admit", flag.ExitOnError)
	url := fs.String("url", "", "ws:// URL of the relay")
	ticketURL := fs.String("ticket-url", "", "gateway ticket endpoint")
	apiKey := fs.String("api-key", "", "caller API key for the ticket endpoint")
	model := fs.String("model", "gpt-realtime", "model asked for in the ticket")
	n := fs.Int("n", 500, "sessions admitted in all (the first tenth is warm-up, not measured)")
	conc := fs.Int("c", 4, "concurrent workers")
	label := fs.String("label", "", "label echoed in the result")
	must(fs.Parse(args))

	d := newDialer(*url, *ticketURL, *apiKey, *model)
	warm := *n / 10
	var next atomic.Int64
	var mu sync.Mutex
	var ticketLat, upgradeLat, firstLat, totalLat []time.Duration
	var errs []string
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(*n) {
					return
				}
				s := time.Now()
				t, err := d.ticket()
				tt := time.Now()
				var c *websocket.Conn
				if err == nil {
					h := http.Header{}
					h.Set("Authorization", "Bearer "+t)
					var resp *http.Response
					c, resp, err = d.ws.Dial(*url, h)
					if err != nil && resp != nil {
						err = fmt.Errorf("dial: %v (HTTP %d)", err, resp.StatusCode)
					}
				}
				tu := time.Now()
				if err == nil {
					c.SetReadDeadline(time.Now().Add(10 * time.Second))
					_, data, rerr := c.ReadMessage()
					if rerr != nil {
						err = rerr
					} else if !bytes.Contains(data, []byte(`"session.created"`)) {
						err = fmt.Errorf("first event is not session.created: %.120s", data)
					}
				}
				tf := time.Now()
				if c != nil {
					c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bench done"), time.Now().Add(time.Second))
					c.Close()
				}
				mu.Lock()
				if err != nil {
					errs = append(errs, err.Error())
				} else if i >= int64(warm) {
					ticketLat = append(ticketLat, tt.Sub(s))
					upgradeLat = append(upgradeLat, tu.Sub(tt))
					firstLat = append(firstLat, tf.Sub(tu))
					totalLat = append(totalLat, tf.Sub(s))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	stats := func(l []time.Duration) map[string]any {
		sortDurations(l)
		return map[string]any{"p50_ms": percentile(l, 50), "p90_ms": percentile(l, 90), "p99_ms": percentile(l, 99), "max_ms": percentile(l, 100)}
	}
	emit(map[string]any{"label": *label, "sessions": *n, "workers": *conc, "measured": len(totalLat), "errors": len(errs),
		"first_error": first(errs), "sessions_per_s": round1(float64(*n) / elapsed.Seconds()),
		"ticket": stats(ticketLat), "upgrade": stats(upgradeLat), "first_event": stats(firstLat), "total": stats(totalLat)})
}

// sdpOffer is a browser-shaped SDP offer (audio and a data channel), about 1.3 KB like Chrome's without candidates.
func sdpOffer() string {
	lines := []string{"v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
		"a=extmap-allow-mixed", "a=msid-semantic: WMS bench",
		"m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
		"a=ice-ufrag:benc", "a=ice-pwd:benchbenchbenchbenchbenc", "a=ice-options:trickle",
		"a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
		"a=setup:actpass", "a=mid:0", "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=sendrecv",
		"a=msid:bench audio", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=rtcp-fb:111 transport-cc",
		"a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:63 red/48000/2", "a=fmtp:63 111/111", "a=rtpmap:9 G722/8000",
		"a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:13 CN/8000", "a=rtpmap:110 telephone-event/48000",
		"a=rtpmap:126 telephone-event/8000", "a=ssrc:1001 cname:bench", "a=ssrc:1001 msid:bench audio",
		"m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=ice-ufrag:benc",
		"a=ice-pwd:benchbenchbenchbenchbenc", "a=ice-options:trickle",
		"a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
		"a=setup:actpass", "a=mid:1", "a=sctp-port:5000", "a=max-message-size:262144"}
	return strings.Join(lines, "\r\n") + "\r\n"
}

// runCalls times the WebRTC SDP exchange: POST /v1/realtime/calls with an SDP offer, from the request to the
// 201 answer. Through the gateway (-ticket-url: a fresh ticket per call, fetched before the clock starts) the
// gateway redeems the ticket, takes a slot, posts OpenAI's multipart form to the upstream and answers; direct
// (-server-key) the same multipart form goes straight to the upstream's fake calls endpoint. Sequential calls.
func runCalls(args []string) {
	fs := flag.NewFlagSet("calls", flag.ExitOnError)
	url := fs.String("url", "", "POST target (.../v1/realtime/calls)")
	ticketURL := fs.String("ticket-url", "", "gateway ticket endpoint (gateway path)")
	apiKey := fs.String("api-key", "", "caller API key for the ticket endpoint")
	serverKey := fs.String("server-key", "", "bearer for the direct path (the server key)")
	model := fs.String("model", "gpt-realtime", "model")
	n := fs.Int("n", 300, "calls (the first tenth is warm-up, not measured)")
	label := fs.String("label", "", "label echoed in the result")
	must(fs.Parse(args))

	d := newDialer("", *ticketURL, *apiKey, *model)
	offer := sdpOffer()
	boundary := "bench-0123456789abcdef"
	session := fmt.Sprintf(`{"type":"realtime","model":%q}`, *model)
	form := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"sdp\"\r\nContent-Type: application/sdp\r\n\r\n" + offer +
		"\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"session\"\r\nContent-Type: application/json\r\n\r\n" + session +
		"\r\n--" + boundary + "--\r\n"
	var lat []time.Duration
	var errs []string
	for i := 0; i < *n; i++ {
		var req *http.Request
		if *ticketURL != "" {
			t, err := d.ticket()
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			req, _ = http.NewRequest(http.MethodPost, *url, strings.NewReader(offer))
			req.Header.Set("Content-Type", "application/sdp")
			req.Header.Set("Authorization", "Bearer "+t)
		} else {
			req, _ = http.NewRequest(http.MethodPost, *url, strings.NewReader(form))
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
			req.Header.Set("Authorization", "Bearer "+*serverKey)
		}
		s := time.Now()
		resp, err := d.http.Do(req)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		took := time.Since(s)
		if resp.StatusCode != 201 || !bytes.HasPrefix(body, []byte("v=0")) || resp.Header.Get("Location") == "" {
			errs = append(errs, fmt.Sprintf("HTTP %d: %.160s", resp.StatusCode, body))
			continue
		}
		if i >= *n/10 {
			lat = append(lat, took)
		}
	}
	sortDurations(lat)
	emit(map[string]any{"label": *label, "calls": *n, "measured": len(lat), "errors": len(errs), "first_error": first(errs),
		"p50_ms": percentile(lat, 50), "p90_ms": percentile(lat, 90), "p99_ms": percentile(lat, 99), "max_ms": percentile(lat, 100)})
}

// runConsole is an operator console's live feed: POST the console ticket endpoint with the admin key (and
// X-Console: 1, as the page sends), open feed_url?ticket=…, and read every message until the release file
// appears; it reports the messages and bytes received by type.
func runConsole(args []string) {
	fs := flag.NewFlagSet("console", flag.ExitOnError)
	ticketURLs := fs.String("ticket-url", "", "console ticket endpoint(s), comma-separated: the first that answers 200 is used")
	adminKey := fs.String("admin-key", "", "admin API key")
	release := fs.String("release-file", "", "close once this file exists")
	readyFile := fs.String("ready-file", "", "touched once the snapshot arrived")
	maxHold := fs.Duration("max-hold", 5*time.Minute, "close after this long regardless")
	must(fs.Parse(args))

	client := &http.Client{Timeout: 10 * time.Second}
	var t struct {
		Ticket  string `json:"ticket"`
		FeedURL string `json:"feed_url"`
	}
	var tried []string
	for _, u := range strings.Split(*ticketURLs, ",") {
		req, _ := http.NewRequest(http.MethodPost, u, nil)
		req.Header.Set("Authorization", "Bearer "+*adminKey)
		req.Header.Set("X-Console", "1")
		resp, err := client.Do(req)
		if err != nil {
			tried = append(tried, u+": "+err.Error())
			continue
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			tried = append(tried, fmt.Sprintf("%s: HTTP %d", u, resp.StatusCode))
			continue
		}
		must(json.Unmarshal(raw, &t))
		break
	}
	if t.Ticket == "" || t.FeedURL == "" {
		must(fmt.Errorf("console: no feed ticket (%s)", strings.Join(tried, "; ")))
	}
	c, resp, err := websocket.DefaultDialer.Dial(t.FeedURL+"?ticket="+t.Ticket, nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		must(fmt.Errorf("console: feed %s: %v (HTTP %d)", t.FeedURL, err, status))
	}
	byType := map[string]int{}
	var msgs, total int64
	var mu sync.Mutex
	var released bool  // set (under mu) once the release file is seen: a close after it is ours
	var dropped string // the gateway's close before the release, e.g. "1008 console too slow to read: ..."
	done := make(chan struct{})
	go func() {
		defer close(done)
		typeRe := regexp.MustCompile(`"type"\s*:\s*"([^"]+)"`)
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				mu.Lock()
				if !released {
					dropped = err.Error()
					if ce, ok := err.(*websocket.CloseError); ok {
						dropped = fmt.Sprintf("%d %s", ce.Code, ce.Text)
					}
				}
				mu.Unlock()
				return
			}
			m := typeRe.FindSubmatch(data)
			mu.Lock()
			msgs++
			total += int64(len(data))
			if m != nil {
				byType[string(m[1])]++
				if string(m[1]) == "snapshot" && *readyFile != "" {
					os.WriteFile(*readyFile, nil, 0o644)
				}
			}
			mu.Unlock()
		}
	}()
	deadline := time.Now().Add(*maxHold)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(*release); err == nil {
			break
		}
		select {
		case <-done:
			deadline = time.Now()
		case <-time.After(100 * time.Millisecond):
		}
	}
	mu.Lock()
	released = true
	mu.Unlock()
	c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bench done"), time.Now().Add(time.Second))
	c.Close()
	<-done
	mu.Lock()
	defer mu.Unlock()
	emit(map[string]any{"messages": msgs, "bytes": total, "by_type": byType, "dropped": dropped})
}

// runSlowRead opens n sessions whose client sends large audio appends and reads nothing for the whole hold,
// so the echo comes back faster than it is read; it samples how many bytes the relay holds for them (the
// gateway's gateway_realtime_buffered_bytes gauge, or the Node relay's summed bufferedAmount) and its RSS.
func runSlowRead(args []string) {
	fs := flag.NewFlagSet("slowread", flag.ExitOnError)
	url := fs.String("url", "", "ws:// URL of the relay")
	ticketURL := fs.String("ticket-url", "", "gateway ticket endpoint; empty = no ticket")
	apiKey := fs.String("api-key", "", "caller API key for the ticket endpoint")
	model := fs.String("model", "gpt-realtime", "model asked for in the ticket")
	n := fs.Int("n", 10, "sessions")
	rate := fs.Int("rate", 50, "messages per second per session")
	size := fs.Int("size", 64<<10, "bytes of base64 audio per message (more than the kernel's socket buffers absorb within the hold)")
	hold := fs.Duration("hold", 10*time.Second, "how long the clients send without reading")
	probe := fs.String("probe-url", "", "gateway metrics URL (Prometheus text) or Node admin URL (JSON)")
	pid := fs.Int("pid", 0, "relay process, for RSS")
	label := fs.String("label", "", "label echoed in the result")
	must(fs.Parse(args))

	d := newDialer(*url, *ticketURL, *apiKey, *model)
	conns, dialErrs := d.dialAll(*n, 8)
	audio := strings.Repeat(audioChunk(), *size/1280+1)[:*size]
	msg := []byte(`{"type":"input_audio_buffer.append","audio":"` + audio + `"}`)
	stop := time.Now().Add(*hold)
	var sent atomic.Int64
	var wg sync.WaitGroup
	var blocked atomic.Int64
	for _, c := range conns {
		if c == nil {
			continue
		}
		wg.Add(1)
		go func(c *websocket.Conn) {
			defer wg.Done()
			period := time.Second / time.Duration(*rate)
			for next := time.Now(); time.Now().Before(stop); next = next.Add(period) {
				if w := time.Until(next); w > 0 {
					time.Sleep(w)
				}
				c.SetWriteDeadline(stop)
				if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
					blocked.Add(1) // a write that could not finish before the hold ended: the relay had stopped reading this client
					return
				}
				sent.Add(1)
			}
		}(c)
	}
	read := func() int64 {
		resp, err := http.Get(*probe)
		if err != nil {
			return -1
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if strings.HasPrefix(strings.TrimSpace(string(raw)), "{") {
			var v struct {
				Buffered int64 `json:"buffered"`
			}
			json.Unmarshal(raw, &v)
			return v.Buffered
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(line, "gateway_realtime_buffered_bytes") {
				f := strings.Fields(line)
				v, _ := strconv.ParseFloat(f[len(f)-1], 64)
				return int64(v)
			}
		}
		return -1
	}
	var maxBuf, maxRSS int64
	rss0 := procRSSKiB(*pid)
	for time.Now().Before(stop) {
		if b := read(); b > maxBuf {
			maxBuf = b
		}
		if r := procRSSKiB(*pid); r > maxRSS {
			maxRSS = r
		}
		time.Sleep(200 * time.Millisecond)
	}
	wg.Wait()
	up := 0
	for _, c := range conns {
		if c != nil {
			up++
			c.Close()
		}
	}
	per := int64(-1)
	if up > 0 && maxBuf >= 0 {
		per = maxBuf / int64(up)
	}
	emit(map[string]any{"label": *label, "sessions": *n, "connected": up, "connect_errors": len(dialErrs), "first_connect_error": first(dialErrs),
		"rate_per_session": *rate, "message_bytes": len(msg), "hold_s": hold.Seconds(), "sent": sent.Load(), "offered": int64(up) * int64(*rate) * int64(hold.Seconds()), "writers_stopped": blocked.Load(),
		"buffered_max_bytes": maxBuf, "buffered_per_session_bytes": per, "rss0_kib": rss0, "rss_max_kib": maxRSS})
}
