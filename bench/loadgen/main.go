// Command loadgen is the benchmark's load generator and fixtures, in one binary so that the
// load always comes from a process other than the one measured:
//
//	loadgen echo     an OpenAI-Realtime-shaped upstream that echoes every frame back
//	loadgen relay    N concurrent sessions, each sending 50 input_audio_buffer.append/s, measuring round trips
//	loadgen idle     hold N idle relayed sessions open until released
//	loadgen http     open-loop POSTs at a fixed rate (latency without coordinated omission)
//	loadgen startup  start a process N times and time it until a URL answers
//	loadgen admit    ticket + upgrade + first upstream event, per session (admission cost)
//	loadgen calls    the WebRTC SDP exchange (POST /v1/realtime/calls), through the gateway or direct to the fake
//	loadgen console  an operator console's live feed, held open until released
//	loadgen slowread sessions that send fast and never read, sampling what the relay buffers for them
//	loadgen freeport print a free TCP port on 127.0.0.1
//
// Every loop is bounded in count and time; every address is on 127.0.0.1.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"sort"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen echo|relay|idle|http|startup|admit|calls|console|slowread|freeport [flags]")
		os.Exit(2)
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "echo":
		runEcho(args)
	case "relay":
		runRelay(args)
	case "idle":
		runIdle(args)
	case "http":
		runHTTP(args)
	case "startup":
		runStartup(args)
	case "admit":
		runAdmit(args)
	case "calls":
		runCalls(args)
	case "console":
		runConsole(args)
	case "slowread":
		runSlowRead(args)
	case "freeport":
		l, err := net.Listen("tcp", "127.0.0.1:0")
		must(err)
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
		l.Close()
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// percentile of sorted durations, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return -1
	}
	i := int(p / 100 * float64(len(sorted)-1))
	return float64(sorted[i].Microseconds()) / 1000
}

func sortDurations(d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
}

func emit(v any) {
	b, err := json.Marshal(v)
	must(err)
	fmt.Println(string(b))
}
