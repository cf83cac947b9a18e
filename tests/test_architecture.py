"""The layering, checked on the source with ast (imports as Python sees them, not substrings):
Streamlit only in cockpit/app.py, cockpit/ui/ and pages/; pages never reach the database or the
gateway's internals; the ui never imports the database module; no import cycle; every public name
has a caller outside the tests; no module in cockpit/ over 500 lines (the registry's table is data)
and no page over 80 lines."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cockpit"
# The command line: it reaches the developer tools in tools/ (outside the package) lazily.
TOOLS = {"cockpit.__main__"}
STREAMLIT_ALLOWED = ("cockpit.app", "cockpit.ui")
DATABASE = {"cockpit.db", "cockpit.cache"}
GATEWAY_INTERNALS = {"cockpit.access.gateway", "cockpit.access.queries", "cockpit.suppress"}
DATA_TABLES = {"cockpit/metrics/registry.py"}  # the KPI table may exceed 500 lines, as data


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@cache
def sources() -> dict[str, Path]:
    files = sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "pages").glob("*.py"))
    return {module_name(p): p for p in files}


def is_module(name: str) -> bool:
    return name in sources()


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(sources()[name].read_text(encoding="utf-8"))


@cache
def imports(name: str) -> frozenset[str]:
    """Every module `name` imports (at any depth of the file), resolved to modules."""
    found = set()
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                found.add(full if is_module(full) else node.module)
    return frozenset(found)


def test_streamlit_only_in_the_app_the_ui_and_the_pages():
    offenders = [
        name
        for name in sources()
        if any(m == "streamlit" or m.startswith("streamlit.") for m in imports(name))
        and not name.startswith(("pages.", *STREAMLIT_ALLOWED))
        and name not in TOOLS
    ]
    assert offenders == []


def test_pages_never_reach_the_database_or_the_gateway_internals():
    offenders = {
        name: sorted(imports(name) & (DATABASE | GATEWAY_INTERNALS | {"sqlalchemy", "pandas"}))
        for name in sources()
        if name.startswith("pages.")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_ui_never_imports_the_database():
    offenders = {
        name: sorted(imports(name) & DATABASE)
        for name in sources()
        if name.startswith("cockpit.ui")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_import_cycle():
    graph = {
        name: {m for m in imports(name) if m in sources() and m != name}
        for name in sources()
        if not name.startswith("pages.") and name not in TOOLS
    }
    # A package's __init__ re-exporting its modules is not a cycle with them.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def public_names(name: str) -> list[str]:
    names = []
    for node in tree(name).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            if not node.decorator_list:  # a decorated function is called by what registers it
                names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [n for n in names if not n.startswith("_") and n != "__all__"]


@cache
def used_names() -> dict[str, set[str]]:
    """Per identifier, the modules (outside the tests) that use it other than by defining it."""
    used: dict[str, set[str]] = {}
    files = {**sources()}
    for extra in ("sample_data", "tools"):
        for p in sorted((ROOT / extra).rglob("*.py")) if (ROOT / extra).is_dir() else []:
            files[module_name(p)] = p
    for name, path in files.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                used.setdefault(node.id, set()).add(name)
            elif isinstance(node, ast.Attribute):
                used.setdefault(node.attr, set()).add(name)
            elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
                for a in node.names:
                    if not (path.name == "__init__.py"):  # a re-export is not a use
                        used.setdefault(a.name, set()).add(name)
    return used


def test_every_public_name_has_a_caller_outside_the_tests():
    unused = [
        f"{name}.{public}"
        for name in sources()
        if name.startswith("cockpit") and name not in TOOLS
        for public in public_names(name)
        if not used_names().get(public)
    ]
    assert unused == []


def test_modules_and_pages_stay_small():
    too_long = {}
    for name, path in sources().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        rel = str(path.relative_to(ROOT))
        limit = 80 if name.startswith("pages.") else 500
        if lines > limit and rel not in DATA_TABLES and name not in TOOLS:
            too_long[rel] = lines
    assert too_long == {}
