// sdkjoin joins a LiveKit room with a pre-minted token through the official Go SDK
// (server-sdk-go's ConnectToRoomWithToken), prints one JOINED line, stays in the room until
// stdin closes (or -hold elapses), then leaves. The end-to-end tests use it to prove that a
// gateway token admits a real SDK participant. The token is read from LIVEKIT_TOKEN so it never
// shows up in a process listing; it is never printed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"

	lksdk "github.com/livekit/server-sdk-go/v2"
)

func main() {
	url := flag.String("url", "", "LiveKit URL (ws://...)")
	hold := flag.Duration("hold", 60*time.Second, "how long to stay in the room at most")
	flag.Parse()
	token := os.Getenv("LIVEKIT_TOKEN")
	if *url == "" || token == "" {
		fmt.Fprintln(os.Stderr, "usage: LIVEKIT_TOKEN=<jwt> sdkjoin -url ws://host:port")
		os.Exit(2)
	}

	room, err := lksdk.ConnectToRoomWithToken(*url, token, &lksdk.RoomCallback{},
		lksdk.WithAutoSubscribe(false))
	if err != nil {
		// The SDK's error is the server's answer (e.g. a 401 text); print it without the token.
		fmt.Printf("FAILED %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("JOINED identity=%s room=%s sid=%s\n",
		room.LocalParticipant.Identity(), room.Name(), room.LocalParticipant.SID())

	done := make(chan struct{})
	go func() {
		// The test closes stdin when it has checked the room; EOF means leave.
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(*hold):
	}
	room.Disconnect()
	fmt.Println("LEFT")
}
