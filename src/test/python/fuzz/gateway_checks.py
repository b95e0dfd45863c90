"""Checks the fuzz tier adds to schemathesis's own (loaded through SCHEMATHESIS_HOOKS=gateway_checks).

Every error answer of the gateway is application/problem+json, and no answer ever carries a secret. The secrets
the gateway was started with arrive in FUZZ_SECRETS (newline-separated), never on the command line.
"""
import os

import schemathesis

SECRETS = [s for s in os.environ.get("FUZZ_SECRETS", "").split("\n") if s]

# POST /v1/realtime/calls takes an SDP offer (text): send generated strings as text, like text/plain.
schemathesis.serializer.alias("application/sdp", "text/plain")


@schemathesis.check
def errors_are_problem_json(ctx, response, case):
    """Every 4xx and 5xx answers application/problem+json with the RFC 9457 members."""
    if response.status_code < 400:
        return None
    content_type = ";".join(response.headers.get("content-type", []))
    if not content_type.startswith("application/problem+json"):
        raise AssertionError(
            f"{response.status_code} answered with Content-Type {content_type or '(none)'}, not application/problem+json"
        )
    body = response.json()
    for member in ("type", "title", "status"):
        if member not in body:
            raise AssertionError(f"problem+json body lacks '{member}'")
    if body["status"] != response.status_code:
        raise AssertionError(f"problem status {body['status']} differs from the HTTP status {response.status_code}")
    return None


@schemathesis.check
def no_secret_in_answer(ctx, response, case):
    """No configured secret appears in a body or a header value (the gateway shows fingerprints only)."""
    text = response.content.decode("utf-8", "replace")
    headers = " ".join(v for values in response.headers.values() for v in values)
    for index, secret in enumerate(SECRETS):
        if secret in text or secret in headers:
            # Name the secret by position only: the test output must not carry it either.
            raise AssertionError(f"the answer contains configured secret #{index + 1}")
    return None
