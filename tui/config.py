"""The terminal's own preferences (theme, keymap): a small TOML file, never clinical data."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from storage.vault.private_file import write_private_file

CONFIG_ENV = "CLINOTE_CONFIG"
THEMES = {"dark": "textual-dark", "light": "textual-light"}
DEFAULT_THEME = "dark"


class ConfigError(Exception):
    """The config file cannot be read: one line naming the file and the fix."""


@dataclass
class Config:
    """Non-secret settings: clinical data and clinician settings live in the vault."""

    theme: str = DEFAULT_THEME  # "dark" or "light"
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys
    path: Path | None = None

    @property
    def textual_theme(self) -> str:
        return THEMES.get(self.theme, THEMES[DEFAULT_THEME])


def default_config_path() -> Path:
    """$CLINOTE_CONFIG, else config.toml in the platform config folder."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("clinote", appauthor=False)) / "config.toml"


def load_config(path: Path | None = None) -> Config:
    """Read the file if it exists; a missing file means the defaults."""
    path = path or default_config_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except OSError as error:
        raise ConfigError(f"cannot read {path} ({error.strerror}); fix or remove it") from None
    try:
        document = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML ({error}); fix or remove it") from None
    theme = document.get("theme", DEFAULT_THEME)
    if theme not in THEMES:
        raise ConfigError(f'{path}: theme must be "dark" or "light"; fix or remove the line')
    keymap = document.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(keys, str) for keys in keymap.values()):
        raise ConfigError(f'{path}: [keymap] entries must look like "app.lock" = "ctrl+l"')
    return Config(theme=theme, keymap=dict(keymap), path=path)


def save_config(config: Config) -> None:
    """Write the file (0600, in a 0700 folder); JSON strings are valid TOML strings."""
    path = config.path or default_config_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lines = [
        "# clinote terminal preferences (no clinical data here).",
        f"theme = {json.dumps(config.theme)}",
        "",
        "[keymap]",
        '# binding id = "keys", e.g. "app.lock" = "ctrl+l"; ids are listed in the help screen',
    ]
    lines += [
        f"{json.dumps(binding)} = {json.dumps(keys)}" for binding, keys in config.keymap.items()
    ]
    # Saving is asked for: the file is replaced whole (temp file, then rename).
    write_private_file(path, "\n".join(lines) + "\n", exclusive=False)
