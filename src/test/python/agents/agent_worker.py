"""A LiveKit Agents worker whose voice model goes through the gateway (e2e/AgentsIT).

This is the code docs/agents.md shows, plus what a test needs: the plugin is used as shipped (no subclass, no private
override). In the job's entrypoint the worker asks the gateway for a reusable ticket bound to the room, and passes it
to livekit-plugins-openai's RealtimeModel as api_key with base_url=<gateway>/v1: the plugin reads its api_key once
and presents it on every connection, reconnects included, which a reusable ticket outlives.

Environment: LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET (the worker's own LiveKit credentials), GATEWAY_URL
(http://host:port of the gateway), GATEWAY_API_KEY (this backend's caller key), AGENT_NAME. A job's metadata (from the
participant token's room_config.agents[].metadata) may hold {"max_session_duration": seconds} to make the plugin
recycle its connection that often. Progress goes to stderr as "AGENT <event> room=<room> ..." lines; the ticket is
never printed.
"""

import json
import logging
import os
import sys

import aiohttp
from livekit.agents import Agent, AgentServer, AgentSession, JobContext, cli
from livekit.plugins import openai

GATEWAY_URL = os.environ["GATEWAY_URL"].rstrip("/")
GATEWAY_API_KEY = os.environ["GATEWAY_API_KEY"]
AGENT_NAME = os.environ.get("AGENT_NAME", "gateway-agent")
MODEL = "gpt-realtime"


def say(event: str, room: str, **fields: object) -> None:
    details = " ".join(f"{k}={v}" for k, v in fields.items())
    print(f"AGENT {event} room={room} {details}".rstrip(), file=sys.stderr, flush=True)


# --- what docs/agents.md shows starts here ---
async def fetch_ticket(conversation: str) -> str:
    """A reusable ticket for one conversation (here: the room), from the gateway, with this backend's API key."""
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{GATEWAY_URL}/api/realtime/client-secret",
            headers={"Authorization": f"Bearer {GATEWAY_API_KEY}"},
            json={"session": {"type": "realtime", "model": MODEL}, "identity": conversation, "reusable": True},
        ) as response:
            if response.status != 200:
                # problem+json: its "type" names the refusal (docs/agents.md, Troubleshooting)
                raise RuntimeError(f"gateway refused the ticket: {response.status} {await response.text()}")
            return (await response.json())["value"]


# On a loaded 2-core test machine the default load threshold (0.7) marks the worker full and it takes no job.
server = AgentServer(load_fnc=lambda: 0.0, load_threshold=1.0, num_idle_processes=1, port=0)


@server.rtc_session(agent_name=AGENT_NAME)
async def entrypoint(ctx: JobContext) -> None:
    room = ctx.room.name
    options = json.loads(ctx.job.metadata) if ctx.job.metadata else {}
    ticket = await fetch_ticket(room)
    say("ticket", room)
    model = openai.realtime.RealtimeModel(
        model=MODEL,
        base_url=f"{GATEWAY_URL}/v1",
        api_key=ticket,
        **({"max_session_duration": float(options["max_session_duration"])} if "max_session_duration" in options else {}),
    )
    session = AgentSession(llm=model)

    @session.on("error")
    def on_error(event) -> None:
        say("error", room, recoverable=getattr(event.error, "recoverable", "?"), error=type(event.error).__name__)

    @session.on("close")
    def on_close(event) -> None:
        say("closed", room, reason=getattr(event, "reason", "?"))

    await session.start(room=ctx.room, agent=Agent(instructions="You are a helpful voice assistant."))
    say("started", room)
    await session.generate_reply(instructions="Greet the user.")
    say("greeted", room)
# --- what docs/agents.md shows ends here ---


if __name__ == "__main__":
    logging.getLogger("livekit").setLevel(logging.INFO)
    cli.run_app(server)
