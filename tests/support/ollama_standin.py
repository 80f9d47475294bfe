"""An Ollama-compatible HTTP server on 127.0.0.1 for tests: the real wire format.

It answers /api/chat (NDJSON, chunked, final chunk with done, done_reason,
token counts and durations), /api/tags, /api/show, /api/version, and 404
`{"error": "model 'x' not found"}` for a model it does not have. A chat with
no messages loads the model and answers `done_reason: "load"`, as Ollama does.
A `Script` says what the next chat does: the text chunks, an error line
mid-stream, a dropped connection, a slow first token, or streaming until the
client hangs up; `scripts` gives one per model, and `reply` computes one from
the request. `redirect_to` answers every request with a 307 there; `tls`
serves https. Every request is recorded, and so is a client that disconnected.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STANDIN_VERSION = "0.12.6"
DEFAULT_CONTEXT = 4096  # what Ollama uses when num_ctx is not sent


@dataclass
class StandInModel:
    name: str
    context_length: int = 131072
    size: int = 3_338_801_804
    architecture: str = "gemma3"
    parameter_size: str = "4.3B"
    quantization: str = "Q4_K_M"


@dataclass
class Script:
    """What the stand-in does with the next /api/chat request."""

    chunks: list[str] = field(default_factory=lambda: ["Hello", " from", " the stand-in."])
    done_reason: str = "stop"
    prompt_eval_count: int | None = None  # None: estimated from the prompt, capped at num_ctx
    error_after: int | None = None  # send an {"error": ...} line after this many chunks
    error_message: str = "an error was encountered while running the model"
    drop_after: int | None = None  # close the socket mid-body after this many chunks
    first_token_delay: float = 0.0
    chunk_delay: float = 0.0
    until_disconnect: bool = False  # repeat the chunks until the client hangs up
    # Set: the last chunk waits for it (10 s at most), so a test sees a stream mid-way
    # without depending on timing.
    hold_last_chunk: threading.Event | None = None
    eval_duration_ns: int = 4_289_432_000  # reported in the final chunk


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    body: dict[str, Any] | None


class OllamaStandIn:
    """Start with `start()`, point a client at `url`, `stop()` when done."""

    def __init__(
        self, models: list[StandInModel] | None = None, tls: ssl.SSLContext | None = None
    ) -> None:
        self.models = {model.name: model for model in (models or [StandInModel("gemma3:4b")])}
        self.script = Script()
        self.scripts: dict[str, Script] = {}  # by model name; else `script`
        self.reply: Callable[[str, dict[str, Any]], Script] | None = None
        self.redirect_to: str | None = None  # e.g. another stand-in's url
        self.load_delay = 0.0  # seconds a load (a chat with no messages) takes
        self.tls = tls
        self.requests: list[RecordedRequest] = []
        self.client_disconnected = threading.Event()
        self.chat_finished = threading.Event()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Chats that asked for text (a load request has no messages)."""
        return [
            request
            for request in self.requests
            if request.path == "/api/chat" and (request.body or {}).get("messages")
        ]

    @property
    def load_requests(self) -> list[RecordedRequest]:
        """Chats with no messages: Ollama loads the model and keeps it for keep_alive."""
        return [
            request
            for request in self.requests
            if request.path == "/api/chat" and not (request.body or {}).get("messages")
        ]

    def script_for(self, model: str, body: dict[str, Any]) -> Script:
        if self.reply is not None:
            return self.reply(model, body)
        return self.scripts.get(model, self.script)

    def start(self) -> OllamaStandIn:
        standin = self

        class Handler(_OllamaHandler):
            owner = standin

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # stop() returns quickly
            name="ollama-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def pause(self, seconds: float) -> bool:
        """Wait, unless the stand-in is stopping; True when it is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()

    def __enter__(self) -> OllamaStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def estimate_prompt_tokens(body: dict[str, Any]) -> int:
    """About four characters per token, like the small models' tokenizers."""
    characters = sum(len(str(message.get("content", ""))) for message in body.get("messages", []))
    return max(1, characters // 4)


class _OllamaHandler(BaseHTTPRequestHandler):
    owner: OllamaStandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: test output stays clean

    # --- routing ---------------------------------------------------------------

    def _redirected(self) -> bool:
        if self.owner.redirect_to is None:
            return False
        self.send_response(307)
        self.send_header("Location", self.owner.redirect_to + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True

    def do_GET(self) -> None:  # noqa: N802
        self._record(None)
        if self._redirected():
            return
        if self.path == "/api/tags":
            self._send_json(200, {"models": [self._tag(m) for m in self.owner.models.values()]})
        elif self.path == "/api/version":
            self._send_json(200, {"version": STANDIN_VERSION})
        elif self.path == "/":
            self._send_text(200, "Ollama is running")
        else:
            self._send_text(404, "404 page not found")

    def do_HEAD(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            self._record(None)
            self._send_json(400, {"error": "invalid JSON body"})
            return
        self._record(body)
        if self._redirected():
            return
        if self.path == "/api/show":
            self._show(body)
        elif self.path == "/api/chat":
            self._chat(body)
        else:
            self._send_text(404, "404 page not found")

    def _record(self, body: dict[str, Any] | None) -> None:
        self.owner.requests.append(RecordedRequest(self.command, self.path, body))

    # --- endpoints ---------------------------------------------------------------

    def _tag(self, model: StandInModel) -> dict[str, Any]:
        return {
            "name": model.name,
            "model": model.name,
            "modified_at": "2026-10-01T09:00:00.000000000Z",
            "size": model.size,
            "digest": "a2af6cc3eb7fa8be8504abaf9b04e88f17a119ec3f04a3addf55f92841195f5a",
            "details": self._details(model),
        }

    def _details(self, model: StandInModel) -> dict[str, Any]:
        return {
            "parent_model": "",
            "format": "gguf",
            "family": model.architecture,
            "families": [model.architecture],
            "parameter_size": model.parameter_size,
            "quantization_level": model.quantization,
        }

    def _show(self, body: dict[str, Any]) -> None:
        name = body.get("model") or body.get("name") or ""
        model = self.owner.models.get(name)
        if model is None:
            self._send_json(404, {"error": f"model '{name}' not found"})
            return
        self._send_json(
            200,
            {
                "modelfile": f"FROM {name}\n",
                "parameters": "temperature 1",
                "template": "{{ .Prompt }}",
                "details": self._details(model),
                "model_info": {
                    "general.architecture": model.architecture,
                    "general.parameter_count": 4_299_915_632,
                    f"{model.architecture}.context_length": model.context_length,
                    f"{model.architecture}.embedding_length": 2560,
                },
                "capabilities": ["completion"],
                "modified_at": "2026-10-01T09:00:00.000000000Z",
            },
        )

    def _chat(self, body: dict[str, Any]) -> None:
        name = body.get("model", "")
        if name not in self.owner.models:
            self._send_json(404, {"error": f"model '{name}' not found"})
            return
        if not body.get("messages"):
            self._load(name, body)
            return
        script = self.owner.script_for(name, body)
        num_ctx = int((body.get("options") or {}).get("num_ctx") or DEFAULT_CONTEXT)
        prompt_tokens = script.prompt_eval_count
        if prompt_tokens is None:
            # Ollama keeps only what fits the context window, and counts that.
            prompt_tokens = min(estimate_prompt_tokens(body), num_ctx)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            self._stream_chat(name, script, prompt_tokens)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.owner.client_disconnected.set()
            self.close_connection = True
        finally:
            self.owner.chat_finished.set()

    def _load(self, name: str, body: dict[str, Any]) -> None:
        """What Ollama answers to a chat with no messages: the model is now loaded."""
        if self.owner.pause(self.owner.load_delay):
            return
        done = {
            "model": name,
            "created_at": _now(),
            "message": {"role": "assistant", "content": ""},
            "done_reason": "load",
            "done": True,
        }
        if body.get("stream") is False:
            self._send_json(200, done)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._write_line(done)
        self._end_body()

    def _stream_chat(self, name: str, script: Script, prompt_tokens: int) -> None:
        if self.owner.pause(script.first_token_delay):
            return
        sent = 0
        deadline = time.monotonic() + 10  # an until-disconnect stream still ends
        while True:
            for index, text in enumerate(script.chunks):
                if script.hold_last_chunk is not None and index == len(script.chunks) - 1:
                    self.wfile.flush()
                    script.hold_last_chunk.wait(10)
                if script.error_after is not None and sent == script.error_after:
                    self._write_line({"error": script.error_message})
                    self._end_body()
                    return
                if script.drop_after is not None and sent == script.drop_after:
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)  # no terminating chunk: a dropped body
                    return
                self._write_line(
                    {
                        "model": name,
                        "created_at": _now(),
                        "message": {"role": "assistant", "content": text},
                        "done": False,
                    }
                )
                sent += 1
                if self.owner.pause(script.chunk_delay):
                    return
            if not script.until_disconnect or time.monotonic() > deadline:
                break
            if self.owner.pause(0.01):
                return
        self._write_line(
            {
                "model": name,
                "created_at": _now(),
                "message": {"role": "assistant", "content": ""},
                "done": True,
                "done_reason": script.done_reason,
                "total_duration": 4_935_886_791,
                "load_duration": 534_986_708,
                "prompt_eval_count": prompt_tokens,
                "prompt_eval_duration": 107_345_000,
                "eval_count": sent,
                "eval_duration": script.eval_duration_ns,
            }
        )
        self._end_body()

    # --- wire helpers ----------------------------------------------------------

    def _write_line(self, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode() + b"\n"
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _end_body(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_text(self, status: int, text: str) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
