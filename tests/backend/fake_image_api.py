"""A local stand-in for the OpenAI images API (http.server on 127.0.0.1, an ephemeral port, in a thread).

Records every request (path, headers, JSON body) and answers with what the
test set: by default a small PNG as ``data[0].b64_json``.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .factories import png_bytes

# What the fake answers with unless a test sets another answer.
ANSWER_IMAGE = png_bytes((40, 120, 200), (64, 96))


def images_answer(image: bytes) -> dict:
    return {"created": 1, "data": [{"b64_json": base64.b64encode(image).decode()}]}


@dataclass
class Seen:
    path: str
    headers: dict
    body: dict


@dataclass
class FakeImageApi:
    status: int = 200
    answer: dict | bytes = field(default_factory=lambda: images_answer(ANSWER_IMAGE))
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def respond(self, status: int, answer: dict | bytes) -> None:
        self.status, self.answer = status, answer

    def start(self) -> FakeImageApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                api.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                payload = api.answer if isinstance(api.answer, bytes) else json.dumps(api.answer).encode()
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1/images/generations"
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
