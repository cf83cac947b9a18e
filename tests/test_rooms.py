"""The importer's and the developer tools' rooms: cockpit/ingest and tools/bench are small modules,
and the package never imports tools/ at import time (only `python -m cockpit bench` reaches it,
lazily, inside its command function)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 500


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", ["cockpit/ingest", "tools"])
def test_modules_are_small(folder: str) -> None:
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text().splitlines()) for p in _modules(folder)
    }
    assert sizes, folder
    assert {p: n for p, n in sizes.items() if n > MAX_LINES} == {}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at module level?) for every import in the file."""
    tree = ast.parse(path.read_text(), str(path))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, id(node) in top))
    return found


def test_the_package_never_imports_tools_at_import_time() -> None:
    lazy = []
    for path in _modules("cockpit"):
        for module, at_top in _imports(path):
            if module == "tools" or module.startswith("tools."):
                assert not at_top, f"{path.relative_to(ROOT)} imports {module} at import time"
                lazy.append((path.relative_to(ROOT).as_posix(), module))
    assert lazy == [("cockpit/__main__.py", "tools.bench.run")]


def test_load_and_bench_are_gone_from_the_package() -> None:
    for name in ("load.py", "bench.py", "loadtest.py"):
        assert not (ROOT / "cockpit" / name).exists(), name
