"""The headless layers never load Textual, and the import-linter contracts hold.

Every module is found by walking the package, so a new module is checked without being listed.
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kubetui

ROOT = Path(__file__).resolve().parent.parent
HEADLESS_PACKAGES = ["kubetui.model", "kubetui.kube", "kubetui.terminal", "kubetui.localcluster"]
HEADLESS_MODULES = ["kubetui.errors"]
# Importing these runs or starts something (the CLI entry, the TUI command): not plain libraries.
NOT_IMPORTABLE_ALONE = {"kubetui.__main__"}

_IMPORT_EACH = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
    if "textual" in sys.modules:
        print("textual loaded by " + name)
        break
else:
    print("clean")
"""


def all_modules() -> list[str]:
    found = [info.name for info in pkgutil.walk_packages(kubetui.__path__, "kubetui.")]
    return sorted(name for name in found if name not in NOT_IMPORTABLE_ALONE)


def headless_modules(package: str) -> list[str]:
    return [name for name in all_modules() if name == package or name.startswith(package + ".")]


def test_the_walk_finds_every_layer():
    names = all_modules()
    for package in HEADLESS_PACKAGES + ["kubetui.ui", "kubetui.commands"]:
        assert any(name.startswith(package + ".") for name in names), package


@pytest.mark.parametrize("package", HEADLESS_PACKAGES + HEADLESS_MODULES)
def test_headless_modules_do_not_import_textual(package):
    modules = headless_modules(package) or [package]
    result = subprocess.run([sys.executable, "-c", _IMPORT_EACH, *modules], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean"


def test_every_module_imports():
    """No module is broken or left behind by a move (each imported in one fresh interpreter)."""
    code = "import importlib, sys\nfor name in sys.argv[1:]: importlib.import_module(name)"
    result = subprocess.run([sys.executable, "-c", code, *all_modules()], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is part of the test extras"
    result = subprocess.run([lint, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
