// otlp-receiver: the smallest real OTLP/HTTP trace receiver, for the gateway's traces tier (TracesIT).
//
// It decodes each POST /v1/traces body (application/x-protobuf, or application/json) with the official OTLP
// protobuf types (go.opentelemetry.io/proto/otlp) and appends it as one protojson line to the output file, so a
// test reads exactly what the gateway exported. Usage:
//
//	otlp-receiver -listen 127.0.0.1:0 -out spans.jsonl
//
// It prints "listening on http://HOST:PORT" on stdout once it accepts connections.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

const version = "otlp-receiver 1 (go.opentelemetry.io/proto/otlp v1.11.1)"

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	out := flag.String("out", "spans.jsonl", "file the export requests are appended to, one JSON line each")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	file, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		log.Fatalf("cannot open %s: %v", *out, err)
	}
	var mu sync.Mutex
	http.HandleFunc("/v1/traces", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req := &coltrace.ExportTraceServiceRequest{}
		jsonBody := strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
		if jsonBody {
			err = protojson.Unmarshal(body, req)
		} else {
			err = proto.Unmarshal(body, req)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		line, err := protojson.MarshalOptions{UseProtoNames: false}.Marshal(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		mu.Lock()
		_, err = file.Write(append(line, '\n'))
		mu.Unlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		answer, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(answer)
	})
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("cannot listen on %s: %v", *listen, err)
	}
	fmt.Printf("listening on http://%s\n", listener.Addr().String())
	log.Fatal(http.Serve(listener, nil))
}
