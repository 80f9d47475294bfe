"""The terminal's config file: theme and keymap, never clinical data."""

from __future__ import annotations

import stat

import pytest

from tui.config import Config, ConfigError, load_config, save_config
from tui.errors import describe_error


def test_missing_file_means_defaults(tmp_path):
    config = load_config(tmp_path / "absent.toml")
    assert config.theme == "dark"
    assert config.keymap == {}


def test_saved_config_reads_back_and_is_private(tmp_path):
    path = tmp_path / "cfg" / "config.toml"
    save_config(Config(theme="light", keymap={"app.lock": "ctrl+k"}, path=path))
    loaded = load_config(path)
    assert loaded.theme == "light"
    assert loaded.textual_theme == "textual-light"
    assert loaded.keymap == {"app.lock": "ctrl+k"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "content, problem",
    [
        ("theme = ", "not valid TOML"),
        ('theme = "purple"', 'theme must be "dark" or "light"'),
        ('[keymap]\n"app.lock" = 3', "[keymap] entries"),
    ],
)
def test_a_broken_config_is_one_line_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "config.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert problem in message and str(path) in message
    assert "\n" not in message


def test_environment_variable_names_the_config_file(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text('theme = "light"\n')
    monkeypatch.setenv("CLINOTE_CONFIG", str(path))
    assert load_config().theme == "light"


def test_unexpected_errors_are_described_without_their_text():
    message = describe_error(KeyError("Sam Fictional's note text"))
    assert "KeyError" in message
    assert "Sam" not in message


def test_disk_errors_say_what_to_check():
    message = describe_error(PermissionError(13, "Permission denied"))
    assert message.startswith("Permission denied")
    assert "permissions" in message


def test_saving_does_not_write_through_a_symlink_planted_beside_the_config(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("not the config")
    path = tmp_path / "cfg" / "config.toml"
    path.parent.mkdir(mode=0o700)
    (path.parent / "config.toml.tmp").symlink_to(victim)
    save_config(Config(theme="light", path=path))
    assert victim.read_text() == "not the config"
    assert load_config(path).theme == "light" and not path.is_symlink()
