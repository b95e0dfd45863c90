package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// runEcho serves an upstream shaped like OpenAI's Realtime endpoint: it accepts a WebSocket on any
// path (the relays dial .../v1/realtime?model=...), echoes the "realtime" subprotocol when offered,
// sends session.created first (as OpenAI does, and as a relay may wait for), then echoes every frame
// back unchanged. GET /v1/models/<id> answers like OpenAI, for relays that look a model up.
func runEcho(args []string) {
	fs := flag.NewFlagSet("echo", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	portFile := fs.String("port-file", "", "write the bound port here")
	maxLife := fs.Duration("max-life", 30*time.Minute, "exit after this long, whatever happens")
	callLife := fs.Duration("call-life", 2*time.Second, "a call's sideband closes normally after this long")
	must(fs.Parse(args))

	var sessions atomic.Int64
	upgrader := websocket.Upgrader{
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
		Subprotocols:    []string{"realtime"},
		CheckOrigin:     func(*http.Request) bool { return true },
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/models/", func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/v1/models/")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%q,"object":"model","created":1756339200,"owned_by":"system"}`, id)
	})
	// The WebRTC SDP exchange, shaped like OpenAI's: a multipart offer in, 201 with an SDP answer and the call's
	// Location out; hang-ups answer 200. The call's sideband (a WebSocket with ?call_id=) closes normally after
	// -call-life, as OpenAI's does when the call ends.
	var calls atomic.Int64
	mux.HandleFunc("/v1/realtime/calls", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			http.Error(w, "multipart POST only", http.StatusBadRequest)
			return
		}
		if err := r.ParseMultipartForm(1 << 20); err != nil || !strings.HasPrefix(r.FormValue("sdp"), "v=0") || r.FormValue("session") == "" {
			http.Error(w, "sdp and session parts required", http.StatusBadRequest)
			return
		}
		id := calls.Add(1)
		w.Header().Set("Content-Type", "application/sdp")
		w.Header().Set("Location", fmt.Sprintf("/v1/realtime/calls/rtc_echo_%d", id))
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, "v=0\r\no=- %d 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=setup:active\r\na=rtpmap:111 opus/48000/2\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sctp-port:5000\r\n", id)
	})
	mux.HandleFunc("/v1/realtime/calls/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/hangup") {
			w.WriteHeader(http.StatusOK)
			return
		}
		http.NotFound(w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !websocket.IsWebSocketUpgrade(r) {
			http.Error(w, "websocket only", http.StatusBadRequest)
			return
		}
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c.SetReadLimit(32 << 20)
		n := sessions.Add(1)
		model := r.URL.Query().Get("model")
		created := fmt.Sprintf(`{"type":"session.created","event_id":"event_echo_%d","session":{"type":"realtime","object":"realtime.session","id":"sess_echo_%d","model":%q}}`, n, n, model)
		if err := c.WriteMessage(websocket.TextMessage, []byte(created)); err != nil {
			c.Close()
			return
		}
		if r.URL.Query().Get("call_id") != "" {
			time.AfterFunc(*callLife, func() {
				c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "call ended"), time.Now().Add(time.Second))
			})
		}
		go func() {
			defer c.Close()
			for {
				mt, data, err := c.ReadMessage()
				if err != nil {
					return
				}
				if err := c.WriteMessage(mt, data); err != nil {
					return
				}
			}
		}()
	})
	l, err := net.Listen("tcp", *addr)
	must(err)
	port := l.Addr().(*net.TCPAddr).Port
	if *portFile != "" {
		must(os.WriteFile(*portFile, []byte(fmt.Sprint(port)), 0o644))
	}
	fmt.Fprintf(os.Stderr, "echo upstream on 127.0.0.1:%d\n", port)
	time.AfterFunc(*maxLife, func() { os.Exit(0) })
	must(http.Serve(l, mux))
}
