"""The house stays readable: folders by role, imports in one direction, modules, pages and functions small.

These are the bars of issue 11; each failure names the file and the figure, so the next feature finds its
place instead of growing a module past them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "core"
# A layer may import from the layers before it (and itself), never from one after it.
LAYERS = ["model", "engine", "rules", "analysis", "files", "store", "papers", "followup", "cli"]
MAX_CORE_MODULE_LINES = 600
MAX_PAGE_LINES = 300
MAX_FUNCTION_LINES = 80
# Known debts being paid off right now, each with where: remove the entry when it is paid.
DEBTS = {
    "pages/kostnader.py": "rewritten around the live component (issue 13)",
    "pages/kostnader.py:line_controls": "rewritten around the live component (issue 13)",
}


def python_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in ([root] if root.suffix == ".py" else root.rglob("*.py")))


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_core_folder_says_what_lives_there():
    for folder in sorted(p for p in CORE.iterdir() if p.is_dir() and not p.name.startswith("__")):
        init = folder / "__init__.py"
        assert init.is_file(), f"{folder.name} saknar __init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"core/{folder.name} saknar docstring"


def test_core_never_imports_streamlit_or_the_ui():
    for path in python_files(CORE):
        bad = {m for m in imported_modules(path) if m.split(".")[0] in {"streamlit", "ui", "pages"}}
        assert not bad, f"{path.relative_to(REPO)} importerar {sorted(bad)}"


def test_core_imports_go_one_way():
    for path in python_files(CORE):
        parts = path.relative_to(CORE).parts
        if len(parts) < 2 or parts[0] not in LAYERS:
            continue
        rank = LAYERS.index(parts[0])
        for module in imported_modules(path):
            pieces = module.split(".")
            if pieces[0] == "core" and len(pieces) > 1 and pieces[1] in LAYERS:
                assert LAYERS.index(pieces[1]) <= rank, f"{path.relative_to(REPO)} importerar uppåt: {module}"


def test_no_import_cycles_between_core_modules():
    modules = {module_name(p): p for p in python_files(CORE)}
    graph = {
        name: {m for m in imported_modules(path) if m in modules and m != name and not name.startswith(m + ".")}
        for name, path in modules.items()
    }
    # Package __init__ files re-export their modules; the edges that matter are module to module.
    graph = {
        n: {m for m in deps if not (modules[m].name == "__init__" and n.startswith(m + "."))}
        for n, deps in graph.items()
    }
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
                pytest.fail("Importcykel: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])


@pytest.mark.parametrize(
    ("roots", "limit"),
    [((CORE,), MAX_CORE_MODULE_LINES), ((REPO / "pages",), MAX_PAGE_LINES)],
    ids=["core-modules", "pages"],
)
def test_modules_and_pages_stay_small(roots, limit):
    too_long = {
        str(p.relative_to(REPO)): n
        for p in python_files(*roots)
        if (n := len(p.read_text().splitlines())) > limit and str(p.relative_to(REPO)) not in DEBTS
    }
    assert not too_long, f"över {limit} rader: {too_long}"


def test_functions_stay_short():
    too_long = {}
    for path in python_files(CORE, REPO / "ui", REPO / "pages", REPO / "dashboard.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                where = f"{path.relative_to(REPO)}:{node.name}"
                if length > MAX_FUNCTION_LINES and where not in DEBTS:
                    too_long[where] = length
    assert not too_long, f"funktioner över {MAX_FUNCTION_LINES} rader: {too_long}"
