"""Drafting a note with a local model: streamed, cancellable, grounded, never trusted blindly.

`stream_draft` returns a `DraftStream` at once and does no I/O until it is
iterated. Iterating yields the model's text as it arrives; `close()` cancels
(from any thread); `result()` gives the grounded `DraftResult`, in which the
header, risk statement, measure scores and CPT code are clinote's own text.
When the model cannot be used, `compose_without_model` gives the composer's
note with a warning saying why.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.checks.findings import Finding, Severity
from core.checks.review import check_note
from core.drafting.connection import (
    DEFAULT_MODEL,
    DraftingError,
    DraftingUnavailable,
    OllamaConnection,
    refuse_cloud_model,
)
from core.drafting.grounding import ground_draft
from core.notes.compose_blocks import risk as compose_risk_paragraphs
from core.notes.composer import compose_header, compose_measures_text, compose_sections
from core.notes.model import NoteFormat, SessionDetails, Settings

if TYPE_CHECKING:
    import ollama

__all__ = [
    "DEFAULT_MODEL",
    "DraftCancelled",
    "DraftingError",
    "DraftingUnavailable",
    "DraftResult",
    "DraftStream",
    "assemble_note",
    "compose_without_model",
    "draft_note",
    "stream_draft",
]
from core.drafting.prompts import build_prompt, context_size, draft_options
from core.text_safety import strip_control

RULE_MODEL = "DRAFT-MODEL"
RULE_UNAVAILABLE = "DRAFT-MODEL-UNAVAILABLE"
RULE_TRUNCATED = "DRAFT-TRUNCATED"
RULE_PROMPT_TRUNCATED = "DRAFT-PROMPT-TRUNCATED"
RULE_NO_SESSION = "DRAFT-NO-SESSION"
# A prompt that used this close to the whole window was cut by the server.
PROMPT_FULL_MARGIN = 32


class DraftCancelled(DraftingError):
    """The draft was cancelled before the model finished."""


def usage_line(
    prompt_tokens: int | None, output_tokens: int | None, generation_seconds: float | None
) -> str:
    """The server's token counts and output speed, in words; empty when it sent none."""
    parts = []
    if prompt_tokens is not None:
        parts.append(f"prompt {prompt_tokens} tokens")
    if output_tokens is not None:
        parts.append(f"output {output_tokens} tokens")
    if output_tokens and generation_seconds:
        parts.append(f"{output_tokens / generation_seconds:.1f} tokens/s")
    return ", ".join(parts)


@dataclass(frozen=True)
class DraftResult:
    text: str  # the complete note (Markdown), ready to review
    findings: tuple[Finding, ...]
    model: str | None  # None when clinote's composer wrote the note
    truncated: bool = False  # the model stopped at its length limit, or its prompt was cut
    host: str = ""
    model_text: str = ""  # what the model wrote, before grounding
    filled_sections: tuple[str, ...] = ()
    removed_sentences: tuple[str, ...] = ()
    prompt_tokens: int | None = None  # the server's prompt_eval_count
    estimated_prompt_tokens: int = 0
    num_ctx: int = 0
    output_tokens: int | None = None
    seconds: float | None = None
    num_predict: int = 0  # the output budget asked for, sized from the entries
    first_token_seconds: float | None = None
    generation_seconds: float | None = None  # the server's eval_duration

    @property
    def tokens_per_second(self) -> float | None:
        """Output speed as the server measured it (eval_count / eval_duration)."""
        if not self.output_tokens or not self.generation_seconds:
            return None
        return self.output_tokens / self.generation_seconds

    def usage_line(self) -> str:
        """ "prompt 812 tokens, output 403 tokens, 9.4 tokens/s": what decides the wait."""
        return usage_line(self.prompt_tokens, self.output_tokens, self.generation_seconds)

    @property
    def source(self) -> str:
        """ "model" or "composer", as SessionNote.text_source records it."""
        return "composer" if self.model is None else "model"


@dataclass
class _Progress:
    chunks: list[str] = field(default_factory=list)
    done_reason: str | None = None
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    eval_nanoseconds: int | None = None
    estimated_prompt_tokens: int = 0
    num_ctx: int = 0
    num_predict: int = 0
    started: float = 0.0
    first_token: float | None = None
    finished: float = 0.0


def _note(details: SessionDetails, sections: dict[str, str]) -> str:
    """The note laid out exactly as the composer lays it out."""
    parts = [compose_header(details)]
    parts.extend(f"## {name}\n\n{body}" for name, body in sections.items())
    return "\n\n".join(parts) + "\n"


def _deterministic_blocks(details: SessionDetails, composed_body: str) -> list[str]:
    """The composer's measure and risk blocks that belong in this section, in order."""
    blocks = [compose_measures_text(details), compose_risk_paragraphs(details)]
    return [block for block in blocks if block and block in composed_body]


def assemble_note(
    details: SessionDetails, note_format: NoteFormat, model_text: str
) -> tuple[str, tuple[Finding, ...], tuple[str, ...], tuple[str, ...]]:
    """(note, grounding findings, filled sections, removed sentences) for a model's text."""
    grounded = ground_draft(details, note_format, model_text)
    composed = compose_sections(details, note_format)
    sections = {}
    for name, body in grounded.sections.items():
        if name in grounded.filled_from_composer:
            sections[name] = body  # the composer's body already holds its blocks
        else:
            sections[name] = "\n\n".join([body, *_deterministic_blocks(details, composed[name])])
    return (
        _note(details, sections),
        grounded.findings,
        grounded.filled_from_composer,
        grounded.removed_sentences,
    )


def compose_without_model(
    details: SessionDetails, note_format: NoteFormat | None = None, reason: str = ""
) -> DraftResult:
    """The composer's note and its checks, with a warning saying why no model wrote it."""
    from core.notes.composer import compose_note

    note_format = note_format or details.format
    text = compose_note(details, note_format)
    findings: list[Finding] = []
    if reason:
        findings.append(
            Finding(
                RULE_UNAVAILABLE, Severity.WARNING, "", f"{reason}; this is clinote's composed note"
            )
        )
    findings.extend(check_note(details, text))
    return DraftResult(text=text, findings=tuple(findings), model=None)


class DraftStream:
    """The model's draft as it is written: iterate for text, close() to cancel, then result()."""

    def __init__(
        self,
        details: SessionDetails,
        note_format: NoteFormat,
        connect: Callable[[], tuple[OllamaConnection, bool]],
        model: str,
        keep_alive: str | None = None,
    ) -> None:
        self.details = details
        self.note_format = note_format
        self.model = model
        self.keep_alive = keep_alive
        self.host = ""
        self._connect = connect
        self._progress = _Progress()
        self._cancelled = threading.Event()
        self._iterating = threading.Lock()  # held while waiting on the server
        self._releasing = threading.Lock()  # the reader and close() may both release
        self._parts: Generator[ollama.ChatResponse, None, None] | None = None
        self._connection: OllamaConnection | None = None
        self._owns_connection = False
        self._error: DraftingError | None = None
        self._finished = False
        self._started = False
        self._result: DraftResult | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @property
    def text_so_far(self) -> str:
        return "".join(self._progress.chunks)

    def __iter__(self) -> Iterator[str]:
        if self._started:
            raise RuntimeError("a DraftStream can be iterated once")
        self._started = True
        try:
            yield from self._generate()
        except DraftingError as error:
            self._error = error
            raise
        finally:
            self._release()

    def _generate(self) -> Iterator[str]:
        progress = self._progress
        progress.started = time.monotonic()
        if self.cancelled:
            return
        if not self.details.session.attendance.session_held:
            raise DraftingUnavailable(
                "no session was held, so there is nothing for a model to draft"
            )
        self._connection, self._owns_connection = self._connect()
        self.host = self._connection.host.describe()
        refuse_cloud_model(self.model, self._connection.allow_remote)
        context = self._connection.show_model(self.model).context_length
        prompt = build_prompt(self.details, self.note_format)
        progress.estimated_prompt_tokens = prompt.estimated_tokens
        progress.num_predict = prompt.output_tokens
        progress.num_ctx = context_size(prompt.estimated_tokens, context, prompt.output_tokens)
        self._parts = self._connection.stream_chat(
            self.model,
            list(prompt.messages),
            draft_options(progress.num_ctx, progress.num_predict),
            keep_alive=self.keep_alive,
        )
        while True:
            with self._iterating:
                # Checked under the lock: close() from another thread may have
                # released the response between two parts.
                if self.cancelled or self._parts is None:
                    break
                part = next(self._parts, None)
            if part is None or self.cancelled:
                break
            if part.done:
                progress.eval_nanoseconds = part.eval_duration
                progress.done_reason = part.done_reason
                progress.prompt_tokens = part.prompt_eval_count
                progress.output_tokens = part.eval_count
            # The reply is untrusted: no control character reaches the preview, the vault or stdout.
            content = strip_control(part.message.content or "")
            if content:
                progress.chunks.append(content)
                if progress.first_token is None:
                    progress.first_token = time.monotonic()
                yield content
        progress.finished = time.monotonic()
        self._finished = not self.cancelled

    def close(self) -> None:
        """Cancel: safe from any thread; the HTTP response is closed so the server stops."""
        self._cancelled.set()
        # Another thread blocked on the server holds the lock: it closes the
        # response itself when the next part arrives and it sees the flag.
        if self._iterating.acquire(blocking=False):
            try:
                self._release()
            finally:
                self._iterating.release()

    def _release(self) -> None:
        with self._releasing:
            parts, self._parts = self._parts, None
            connection, self._connection = self._connection, None
        if parts is not None:
            parts.close()
        if connection is not None and self._owns_connection:
            connection.close()

    def run(self, on_chunk: Callable[[str], None]) -> DraftResult:
        """Stream with a callback per piece of text, then return the result."""
        for chunk in self:
            on_chunk(chunk)
        return self.result()

    def result(self) -> DraftResult:
        """The grounded draft; reads the rest of the stream first if needed."""
        if self._result is not None:
            return self._result
        if not self._started and not self.cancelled:
            for _ in self:
                pass
        if self._error is not None:
            raise self._error
        if self.cancelled or not self._finished:
            raise DraftCancelled("the draft was cancelled; nothing from the model was kept")
        self._result = self._grounded_result()
        return self._result

    def _grounded_result(self) -> DraftResult:
        progress = self._progress
        model_text = self.text_so_far
        text, grounding, filled, removed = assemble_note(self.details, self.note_format, model_text)
        findings: list[Finding] = []
        seconds = progress.finished - progress.started
        generation_seconds = progress.eval_nanoseconds / 1e9 if progress.eval_nanoseconds else None
        usage = usage_line(progress.prompt_tokens, progress.output_tokens, generation_seconds)
        findings.append(
            Finding(
                RULE_MODEL,
                Severity.INFO,
                "",
                f"drafted by {self.model} at {self.host} in {seconds:.0f} s"
                + (f" ({usage})" if usage else "")
                + "; read every sentence before signing",
            )
        )
        output_cut = progress.done_reason == "length"
        if output_cut:
            findings.append(
                Finding(
                    RULE_TRUNCATED,
                    Severity.WARNING,
                    "",
                    "the model stopped at its length limit, so the draft is cut short: "
                    "check the last section, or use the composed note",
                )
            )
        prompt_cut = (
            progress.prompt_tokens is not None
            and progress.prompt_tokens >= progress.num_ctx - PROMPT_FULL_MARGIN
        )
        if prompt_cut:
            findings.append(
                Finding(
                    RULE_PROMPT_TRUNCATED,
                    Severity.WARNING,
                    "",
                    f"the session entries (about {progress.estimated_prompt_tokens} tokens) did "
                    f"not fit the model's {progress.num_ctx}-token context, so it saw only part "
                    "of them: use a model with a longer context, or shorten the entries",
                )
            )
        findings.extend(grounding)
        findings.extend(check_note(self.details, text))
        return DraftResult(
            text=text,
            findings=tuple(findings),
            model=self.model,
            truncated=output_cut or prompt_cut,
            host=self.host,
            model_text=model_text,
            filled_sections=filled,
            removed_sentences=removed,
            prompt_tokens=progress.prompt_tokens,
            estimated_prompt_tokens=progress.estimated_prompt_tokens,
            num_ctx=progress.num_ctx,
            output_tokens=progress.output_tokens,
            seconds=seconds,
            num_predict=progress.num_predict,
            first_token_seconds=(
                progress.first_token - progress.started
                if progress.first_token is not None
                else None
            ),
            generation_seconds=generation_seconds,
        )


def stream_draft(
    details: SessionDetails,
    note_format: NoteFormat | None = None,
    connection: OllamaConnection | Settings | None = None,
    *,
    model: str | None = None,
    allow_remote: bool = False,
) -> DraftStream:
    """A draft stream for the session; no I/O happens until it is iterated.

    `connection` is an open OllamaConnection (left open for the caller), or
    the Settings to build one from (None: the defaults, with OLLAMA_HOST);
    a connection built here is closed when the stream ends. The model is
    `model`, else the settings' model, else DEFAULT_MODEL.
    """
    note_format = note_format or details.format
    settings = connection if isinstance(connection, Settings) else None
    chosen = model or (settings.model if settings and settings.model.strip() else DEFAULT_MODEL)
    keep_alive = keep_alive_for(settings)

    def connect() -> tuple[OllamaConnection, bool]:
        if isinstance(connection, OllamaConnection):
            return connection, False
        return OllamaConnection.from_settings(settings, allow_remote=allow_remote), True

    return DraftStream(details, note_format, connect, chosen, keep_alive)


def keep_alive_for(settings: Settings | None) -> str | None:
    """Ollama's keep_alive from the settings ("30m"); None leaves the server's default."""
    minutes = settings.keep_warm_minutes if settings is not None else Settings().keep_warm_minutes
    return f"{minutes}m" if minutes > 0 else None


def draft_note(
    details: SessionDetails,
    note_format: NoteFormat | None = None,
    connection: OllamaConnection | Settings | None = None,
    *,
    model: str | None = None,
    allow_remote: bool = False,
) -> DraftResult:
    """The model's grounded draft, or the composer's note with a warning saying why not."""
    note_format = note_format or details.format
    if not details.session.attendance.session_held:
        result = compose_without_model(details, note_format)
        notice = Finding(
            RULE_NO_SESSION, Severity.INFO, "", "no session was held, so clinote composed the note"
        )
        return DraftResult(result.text, (notice, *result.findings), model=None)
    stream = stream_draft(details, note_format, connection, model=model, allow_remote=allow_remote)
    try:
        return stream.result()
    except DraftingError as error:
        return compose_without_model(details, note_format, error.message)
