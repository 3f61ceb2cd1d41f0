"""The core (domain, store, config, services) never imports Textual; the domain does no I/O."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache

CORE = ("custui.domain", "custui.store", "custui.config", "custui.services")


@cache
def _loaded_after_imports() -> dict[str, set[str]]:
    """For each CORE package in turn, the modules one fresh process has loaded once it has
    imported that package and every module under it (and the packages before it: the domain,
    first, is alone). One process for all: each costs about a second of imports."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        "loaded = {}\n"
        f"for package in {CORE!r}:\n"
        "    pkg = importlib.import_module(package)\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "    loaded[package] = sorted(sys.modules)\n"
        "print(json.dumps(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {package: set(modules) for package, modules in json.loads(out.stdout).items()}


def test_core_packages_do_not_import_textual() -> None:
    for package in CORE:
        loaded = _loaded_after_imports()[package]
        assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}, package


def test_domain_does_not_import_storage_or_yaml() -> None:
    loaded = _loaded_after_imports()["custui.domain"]
    for forbidden in ("tinydb", "yaml", "textual", "custui.store", "custui.services"):
        assert not {m for m in loaded if m == forbidden or m.startswith(forbidden + ".")}, forbidden


def _private_reaches(path: str, allowed: set[str] = frozenset({"self", "cls"})) -> list[str]:  # type: ignore[assignment]
    """`x._name` where x is not self/cls: another object's private parts (dunders aside)."""
    import ast
    from pathlib import Path

    import custui

    source = (Path(custui.__file__).parent / path).read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in allowed)):
            found.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_stores_helpers_use_filestores_public_interface() -> None:
    """The background loader, the sidecar's rebuild and open reach FileStore through its
    public methods, not its private attributes."""
    reaches = [r for path in ("store/lazy.py", "store/rebuild.py", "store/open.py")
               for r in _private_reaches(path) if ".store." in r or "_store." in r or "store._" in r]
    assert reaches == []


def test_the_app_and_screens_use_no_private_textual_screen_stacks() -> None:
    """Cross-screen news travels on the app's records_changed signal (screens/changes.py)."""
    import re
    from pathlib import Path

    import custui

    root = Path(custui.__file__).parent
    plumbing = re.compile(r"_screen_stacks|\bstore_changed\(")
    hits = [str(p.relative_to(root)) for p in root.rglob("*.py") if plumbing.search(p.read_text(encoding="utf-8"))]
    assert hits == []
