"""One model draft at a time: run in a worker thread, streamed into the preview, cancellable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from core.drafting.draft import DraftCancelled, DraftingError, DraftResult, stream_draft
from core.drafting.warm_model import WarmModels, model_key, preload_model
from core.notes.model import SessionDetails, Settings
from tui.widgets.note_preview import NotePreview

DRAFT_GROUP = "editor-draft"
PRELOAD_GROUP = "model-preload"
# One record per process: which models this app has loaded, and until when.
WARM_MODELS = WarmModels()


class DraftRunner(Widget):
    """Invisible: starts and cancels drafts, feeds their text to a NotePreview."""

    DEFAULT_CSS = "DraftRunner { display: none; }"

    @dataclass
    class Finished(Message):
        """The model finished; `result` holds the grounded note and its findings."""

        result: DraftResult

    @dataclass
    class Failed(Message):
        """The model could not be used; `message` says why, in one line."""

        message: str

    @dataclass
    class _Chunk(Message):
        generation: int
        text: str

    @dataclass
    class _Ended(Message):
        generation: int
        result: DraftResult | None
        problem: str

    def __init__(self, preview: NotePreview, warm: Callable[[], Settings] | None = None) -> None:
        """`warm`: the settings to load the model with once mounted (None: no preload)."""
        super().__init__()
        self._preview = preview
        self._warm = warm
        self._in_progress = False
        self._generation = 0  # text from a cancelled draft is ignored
        self._draft_stream: Any = None  # the core.drafting.draft stream, closed to cancel
        self._streaming = False

    @property
    def running(self) -> bool:
        return self._in_progress

    def on_mount(self) -> None:
        if self._warm is not None:
            self.preload(self._warm())

    def preload(self, settings: Settings) -> None:
        """Load the model in the background so ctrl+r starts at once; silent on failure."""
        key = model_key(settings)
        if settings.keep_warm_minutes > 0 and key is not None and not WARM_MODELS.is_warm(key):
            self._preload(settings)

    @work(thread=True, exclusive=True, group=PRELOAD_GROUP, exit_on_error=False)
    def _preload(self, settings: Settings) -> None:
        try:
            preload_model(settings, WARM_MODELS)
        except Exception:  # noqa: BLE001 - a failed preload shows when a draft is asked for
            pass

    def start(self, details: SessionDetails, settings: Settings) -> None:
        if self._in_progress:
            return
        self._in_progress = True
        self._generation += 1
        self._preview.set_source("model draft: starting… (Esc cancels)")
        self._draft(self._generation, details, settings)

    def cancel(self) -> None:
        """Stop the draft now; the server sees the connection close."""
        stream = self._draft_stream
        self.workers.cancel_group(self, DRAFT_GROUP)
        if stream is not None:
            try:
                stream.close()
            except Exception:  # noqa: BLE001 - the stream is being abandoned anyway
                pass
        self._end()

    @work(thread=True, exclusive=True, group=DRAFT_GROUP, exit_on_error=False)
    def _draft(self, generation: int, details: SessionDetails, settings: Settings) -> None:
        worker = get_current_worker()
        stream = stream_draft(details, details.format, settings)
        self._draft_stream = stream
        try:
            for chunk in stream:
                if worker.is_cancelled:
                    break
                self.post_message(self._Chunk(generation, chunk))
            if worker.is_cancelled:
                stream.close()
                return
            result = stream.result()
        except DraftCancelled:
            return
        except DraftingError as error:
            self.post_message(self._Ended(generation, None, error.message))
        except Exception as error:  # noqa: BLE001 - never a traceback on screen
            self.post_message(
                self._Ended(generation, None, f"drafting failed ({type(error).__name__})")
            )
        else:
            key = model_key(settings)
            if key is not None and settings.keep_warm_minutes > 0:
                WARM_MODELS.loaded(key, settings.keep_warm_minutes)  # drafting kept it loaded
            self.post_message(self._Ended(generation, result, ""))

    def _current(self, generation: int) -> bool:
        return self._in_progress and generation == self._generation

    def _end(self) -> None:
        self._in_progress = False
        self._streaming = False
        self._draft_stream = None
        self._preview.end_stream()

    @on(_Chunk)
    def _on_chunk(self, event: _Chunk) -> None:
        if not self._current(event.generation):
            return
        if not self._streaming:
            self._streaming = True
            self._preview.set_source("model draft: writing… (Esc cancels)")
            self._preview.begin_stream()
        self._preview.stream(event.text)

    @on(_Ended)
    def _on_ended(self, event: _Ended) -> None:
        if not self._current(event.generation):
            return
        self._end()
        if event.result is not None:
            self.post_message(self.Finished(event.result))
        else:
            self.post_message(self.Failed(f"{event.problem}; the note is unchanged."))
