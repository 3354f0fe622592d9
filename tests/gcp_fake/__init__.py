"""A small data-driven fake of the Google REST APIs on 127.0.0.1, for the live GCP tests.

`<deployment>/<service>.json` maps `METHOD /path` (the path the real API serves, without the
query) to a response in the API's JSON shape, recorded from the API reference's examples:

- a JSON object: the response body (HTTP 200);
- `{"$pages": [page, ...]}`: a list answered a page at a time, each page with a
  `nextPageToken` until the last, as the APIs paginate (`pageToken` picks the page);
- `{"$error": {"code": 403, "status": "PERMISSION_DENIED", "message": "..."}}`: Google's
  error body with that HTTP status;
- `{"$delay": seconds, "body": {...}}`: the body, answered late (for timeouts).

Anything else answers 404 NOT_FOUND, as the APIs do. The collector reaches it through
ANYSCALE_LINT_GCP_ENDPOINT (each service under its own path, `/compute`, `/iam`, ...).
`<deployment>/flags.json` holds the register flags naming the deployment (the ones
`live --provider gcp` is given), as GCP_DEPLOYMENTS's register command spells them.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).parent
SERVICES = ("compute", "resourcemanager", "storage", "iam", "file", "redis")


def load(deployment: str) -> dict[str, dict[str, Any]]:
    """The routes of a deployment, by service."""
    return {
        service: json.loads((DATA / deployment / f"{service}.json").read_text(encoding="utf-8"))
        for service in SERVICES
    }


def flags(deployment: str) -> dict[str, str]:
    """The register flags naming a deployment (documented spelling -> value)."""
    found: dict[str, str] = json.loads((DATA / deployment / "flags.json").read_text("utf-8"))
    return found


def arguments(given: dict[str, str]) -> list[str]:
    """The flags as command-line arguments (`--private-network` is bare)."""
    return [part for flag, value in given.items() for part in (f"--{flag}", value) if part]


class FakeGoogle:
    """The routes served, and every request received (method, service, path, query)."""

    def __init__(self, routes: dict[str, dict[str, Any]]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, str, str, dict[str, list[str]]]] = []
        self.base = ""

    def answer(self, method: str, url: str) -> tuple[int, Any, float]:
        """The status, body and delay of one request."""
        split = urlsplit(url)
        service, _, path = unquote(split.path).lstrip("/").partition("/")
        query = parse_qs(split.query)
        self.requests.append((method, service, f"/{path}", query))
        route = self.routes.get(service, {}).get(f"{method} /{path}")
        if route is None:
            return _error(404, "NOT_FOUND", f"The resource '/{path}' was not found"), 0.0
        if "$error" in route:
            error = route["$error"]
            return _error(error["code"], error["status"], error["message"]), 0.0
        if "$delay" in route:
            return (200, route["body"]), float(route["$delay"])
        if "$pages" in route:
            return (200, _page(route["$pages"], query)), 0.0
        return (200, route), 0.0


def _error(code: int, status: str, message: str) -> tuple[int, Any]:
    return code, {"error": {"code": code, "message": message, "status": status}}


def _page(pages: list[dict[str, Any]], query: dict[str, list[str]]) -> dict[str, Any]:
    token = (query.get("pageToken") or ["page-0"])[0]
    index = int(token.removeprefix("page-"))
    page = dict(pages[index])
    if index + 1 < len(pages):
        page["nextPageToken"] = f"page-{index + 1}"
    return page


def _handler(fake: FakeGoogle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            (status, body), delay = fake.answer(self.command, self.path)
            time.sleep(delay)
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return Handler


@contextmanager
def serve(routes: dict[str, dict[str, Any]]) -> Iterator[FakeGoogle]:
    """The fake, listening on 127.0.0.1 (its base URL in `.base`) until the block ends."""
    fake = FakeGoogle(routes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
