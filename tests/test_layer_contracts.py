"""The layer contracts in pyproject.toml catch an import that crosses a layer.

`make test` runs `lint-imports` on the real tree; this checks that the same
contracts fail on a small made-up tree where core imports Textual or storage
imports tui, so a contract that silently stopped matching would be noticed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _tree(tmp_path: Path, modules: dict[str, str]) -> Path:
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for package in ("core", "storage", "tui", "cli"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    for name, source in modules.items():
        path = tmp_path / name
        for folder in reversed(path.relative_to(tmp_path).parents[:-1]):
            (tmp_path / folder).mkdir(exist_ok=True)
            (tmp_path / folder / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    return tmp_path


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_contracts_hold_on_a_tree_that_keeps_the_layers(tmp_path: Path) -> None:
    tree = _tree(
        tmp_path,
        {
            "core/notes/model.py": "import dataclasses\n",
            "storage/vault/vault.py": "import tinydb\nimport core.notes.model\n",
            "tui/app.py": "import textual\nimport storage.vault.vault\nimport core.notes.model\n",
        },
    )
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        ("core/notes/model.py", "import textual.app\n", "core.notes.model -> textual"),
        ("core/notes/model.py", "from tinydb import TinyDB\n", "core.notes.model -> tinydb"),
        (
            "core/notes/model.py",
            "def later():\n    import storage.vault.vault\n",
            "core.notes.model -> storage",
        ),
        ("core/notes/model.py", "from tui import app\n", "core.notes.model -> tui"),
        ("storage/vault/vault.py", "from tui import app\n", "storage.vault.vault -> tui"),
        ("storage/vault/vault.py", "import textual.widgets\n", "storage.vault.vault -> textual"),
        ("tui/app.py", "import cli.main\n", "tui.app -> cli.main"),
    ],
)
def test_a_contract_fails_when_a_layer_imports_above_itself(
    tmp_path: Path, module: str, source: str, broken: str
) -> None:
    tree = _tree(
        tmp_path,
        {
            "storage/vault/vault.py": "",
            "tui/app.py": "",
            "core/notes/model.py": "",
            "cli/main.py": "",
            module: source,
        },
    )
    result = _lint(tree)
    assert result.returncode == 1
    assert broken in result.stdout
