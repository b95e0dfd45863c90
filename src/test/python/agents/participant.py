"""A room participant for e2e/AgentsIT: joins with a token from the gateway, publishes a microphone (a 220 Hz tone,
24 kHz mono, 20 ms frames) and listens to every audio track it is given.

Environment: LIVEKIT_URL, PARTICIPANT_TOKEN (from the gateway's POST /api/livekit/token). Runs until its standard input
closes. Prints to stdout, flushed, one line per fact (never the token):
  JOINED <room>
  TRACK <participant identity> <track sid>       an audio track was subscribed
  LOUD <n>                                        n audio frames received so far had sound in them (RMS over 500)
"""

import asyncio
import math
import os
import sys

import numpy as np
from livekit import rtc

RATE = 24000
FRAME = RATE // 50  # 20 ms
LOUD_RMS = 500.0


def out(line: str) -> None:
    print(line, flush=True)


async def publish_tone(room: rtc.Room, stop: asyncio.Event) -> None:
    source = rtc.AudioSource(RATE, 1)
    track = rtc.LocalAudioTrack.create_audio_track("microphone", source)
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    await room.local_participant.publish_track(track, options)
    phase = 0
    while not stop.is_set():
        t = (np.arange(FRAME) + phase) / RATE
        samples = (np.sin(2 * math.pi * 220 * t) * 6000).astype(np.int16)
        phase += FRAME
        frame = rtc.AudioFrame(samples.tobytes(), RATE, 1, FRAME)
        await source.capture_frame(frame)


async def listen(track: rtc.Track, counter: list) -> None:
    stream = rtc.AudioStream(track, sample_rate=RATE, num_channels=1)
    async for event in stream:
        data = np.frombuffer(event.frame.data, dtype=np.int16).astype(np.float64)
        if data.size and math.sqrt(float(np.mean(data * data))) > LOUD_RMS:
            counter[0] += 1


async def main() -> None:
    room = rtc.Room()
    stop = asyncio.Event()
    counter = [0]
    tasks = []

    @room.on("track_subscribed")
    def on_track(track: rtc.Track, publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
        if track.kind == rtc.TrackKind.KIND_AUDIO:
            out(f"TRACK {participant.identity} {publication.sid}")
            tasks.append(asyncio.create_task(listen(track, counter)))

    await room.connect(os.environ["LIVEKIT_URL"], os.environ["PARTICIPANT_TOKEN"])
    out(f"JOINED {room.name}")
    tasks.append(asyncio.create_task(publish_tone(room, stop)))

    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    reported = 0
    while not stdin_closed.done():
        await asyncio.sleep(0.2)
        if counter[0] != reported:
            reported = counter[0]
            out(f"LOUD {reported}")
    stop.set()
    for task in tasks:
        task.cancel()
    await room.disconnect()


if __name__ == "__main__":
    asyncio.run(main())
