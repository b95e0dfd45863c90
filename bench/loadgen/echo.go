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
