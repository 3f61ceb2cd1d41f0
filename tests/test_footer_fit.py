"""At 80x24 every main screen's footer ends with F1 and its whole label, in en and vi: the
screen's own keys first, then F1; the global keys and the palette are in F1 help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).parent / "footer_probe.py"
HELP = {"en": "Help", "vi": "Trợ giúp"}
PALETTE = {"en": "palette", "vi": "lệnh"}  # the palette key Textual docks at the right


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_footers_fit_80_columns(lang: str) -> None:
    done = subprocess.run([sys.executable, str(PROBE), lang], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {"lookup", "profile tab 1", "profile tab 3", "care", "complaints"} <= set(rows)
    entry = f"f1 {HELP[lang]}"
    for screen, row in rows.items():
        assert entry in row, f"{lang} {screen}: F1 cut or missing in {row!r}"
        after = row.split(entry, 1)[1]
        # nothing cut after F1: blank, or the palette key docked at the right (lookup)
        assert after.strip() in ("", f"▏^p {PALETTE[lang]}"), f"{lang} {screen}: {row!r}"
    assert "^t" not in rows["profile tab 1"]  # global keys stay in F1 help, not the footer
