"""80x24 snapshots (pytest-textual-snapshot's SVG files) of what the counter reads most, in
English and Vietnamese: the lookup with two long similar names, a profile, Today and
Complaints, footers included. Taken in a process of their own (tests/snapshot_probe.py) that
chooses its language before anything is imported, as the CLI does."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension

PROBE = Path(__file__).parent / "snapshot_probe.py"


@cache
def screenshots(lang: str) -> dict[str, str]:
    done = subprocess.run([sys.executable, str(PROBE), lang], capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


@pytest.mark.parametrize("screen", ["lookup", "profile", "care", "complaints"])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_counter_screen(snapshot: Any, lang: str, screen: str) -> None:
    assert screenshots(lang)[screen] == snapshot.use_extension(SVGImageExtension)
