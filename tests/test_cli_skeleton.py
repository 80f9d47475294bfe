import subprocess
import sys


def test_help_lists_the_app_and_exits_cleanly():
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "clinote" in result.stdout
    assert "--vault" in result.stdout
