"""Test fixture: drives one Realtime conversation through the gateway with the official openai-python SDK.

Inputs come from the environment (never argv, so the ticket does not show in `ps`):
  GATEWAY_WS_BASE   the relay's SDK base URL, e.g. ws://127.0.0.1:8081/v1
  REALTIME_TICKET   a gateway ticket (ek_...) from POST /api/realtime/client-secret
  REALTIME_MODEL    the model to ask for
Prints one `EVENT <type>` line per server event and `DONE <status>` at the end; exit 0 only when
session.created -> session.update -> response.create -> response.done completed. Never prints the ticket.
"""
import asyncio
import os
import sys

from openai import AsyncOpenAI

TIMEOUT_SECONDS = 30


async def converse() -> int:
    client = AsyncOpenAI(api_key=os.environ["REALTIME_TICKET"], websocket_base_url=os.environ["GATEWAY_WS_BASE"])
    async with client.realtime.connect(model=os.environ["REALTIME_MODEL"]) as conn:
        async for event in conn:
            print("EVENT", event.type, flush=True)
            if event.type == "session.created":
                await conn.session.update(session={"type": "realtime", "output_modalities": ["text"],
                                                   "instructions": "Answer briefly."})
            elif event.type == "session.updated":
                await conn.response.create()
            elif event.type == "error":
                print("ERROR", event.error.code, flush=True)
                return 2
            elif event.type == "response.done":
                print("DONE", event.response.status, flush=True)
                return 0 if event.response.status == "completed" else 3
    print("CLOSED before response.done", flush=True)
    return 4


def main() -> int:
    try:
        return asyncio.run(asyncio.wait_for(converse(), TIMEOUT_SECONDS))
    except asyncio.TimeoutError:
        print(f"TIMEOUT after {TIMEOUT_SECONDS}s", flush=True)
        return 5
    except Exception as e:  # the type and close code are enough; messages could quote a credential
        print("FAILED", type(e).__name__, getattr(e, "code", ""), flush=True)
        return 6


if __name__ == "__main__":
    sys.exit(main())
