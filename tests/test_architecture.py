"""The core (domain, store, config, services) never imports Textual; the domain does no I/O."""

from __future__ import annotations

import subprocess
import sys

CORE = ("custui.domain", "custui.store", "custui.config", "custui.services")


def _loaded_after_import(package: str) -> set[str]:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_packages_do_not_import_textual() -> None:
    for package in CORE:
        loaded = _loaded_after_import(package)
        assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}, package


def test_domain_does_not_import_storage_or_yaml() -> None:
    loaded = _loaded_after_import("custui.domain")
    for forbidden in ("tinydb", "yaml", "textual", "custui.store", "custui.services"):
        assert not {m for m in loaded if m == forbidden or m.startswith(forbidden + ".")}, forbidden
