"""What a draft asks of the model for each shipped eval case: prompt, num_predict, num_ctx.

No model runs here. On a laptop CPU the wait is the model load plus the tokens
written, so this prints the budget clinote asks for (sized from the entries)
beside the fixed 2,048 it asked for before, and the context window each needs.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.drafting.prompts import OUTPUT_TOKEN_CEILING, build_prompt, context_size  # noqa: E402
from core.notes.session_file import load_session_file  # noqa: E402


def main() -> int:
    header = f"{'case':<27}{'prompt chars':>13}{'est. tokens':>12}{'num_predict':>12}"
    print(header + f"{'was':>6}{'num_ctx':>9}{'was':>7}")
    for path in sorted((ROOT / "examples" / "eval").glob("*.json")):
        details = load_session_file(path)
        if not details.session.attendance.session_held:
            print(f"{path.stem:<27}{'no session held: no model call':>59}")
            continue
        prompt = build_prompt(details, details.format)
        characters = sum(len(message["content"]) for message in prompt.messages)
        num_ctx = context_size(prompt.estimated_tokens, None, prompt.output_tokens)
        was_ctx = context_size(prompt.estimated_tokens, None, OUTPUT_TOKEN_CEILING)
        print(
            f"{path.stem:<27}{characters:>13}{prompt.estimated_tokens:>12}"
            f"{prompt.output_tokens:>12}{OUTPUT_TOKEN_CEILING:>6}{num_ctx:>9}{was_ctx:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
