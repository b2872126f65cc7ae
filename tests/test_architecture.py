"""The house's shape, checked: no import circles, the protocol on the standard library only,
rooms of one purpose, developer tools outside what the product installs.

The layers themselves (front ends > printing, sync > counter > protocol; the portal over the
protocol only) are import-linter contracts in pyproject.toml, run by test_tooling.py.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("protocol", "counter", "cli", "printing", "sync", "portal", "ui")
#: A room may pass this many lines only when it is one thing (one table of data, one form).
MAX_LINES = 600
ONE_THING: dict[str, str] = {}


def _present(packages: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for p in packages if (ROOT / p / "__init__.py").exists())


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start) & modules)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child) & modules
                    work.append((child, iter(sorted(imported))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_circles() -> None:
    """No module imports, directly or through others, a module that imports it back."""
    packages = _present(PRODUCT)
    graph = grimp.build_graph(*packages)
    modules = {m for m in graph.modules if m.split(".")[0] in packages}
    assert _cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_circle(tmp_path: Path, monkeypatch) -> None:
    for name, body in {"a": "from circle import b\n", "b": "from circle import a\n"}.items():
        (tmp_path / "circle").mkdir(exist_ok=True)
        (tmp_path / "circle" / f"{name}.py").write_text(body)
    (tmp_path / "circle" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("circle", cache_dir=None)
    assert _cycles(graph, set(graph.modules)) == [["circle.a", "circle.b"]]


def test_the_protocol_needs_only_the_standard_library() -> None:
    outside: list[str] = []
    for path in sorted((ROOT / "protocol").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("protocol", "__future__"):
                    outside.append(f"{path.relative_to(ROOT)}: {name}")
    assert outside == []


def test_rooms_of_one_purpose() -> None:
    """No module of the product over MAX_LINES lines unless it is one thing (said why)."""
    big = []
    for package in _present(PRODUCT):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES and name not in ONE_THING:
                big.append(f"{name}: {lines}")
    assert big == []


def test_developer_tools_are_not_installed_with_the_product() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = config["tool"]["setuptools"]["packages"]["find"]["include"]
    tops = {pattern.rstrip("*").rstrip(".") for pattern in included}
    assert tops == set(PRODUCT)
