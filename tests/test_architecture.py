"""The house rules, checked on the source: data flows pages -> lab -> ce_core, never back.

- ``ce_core`` is the mathematics only: it imports NumPy and the standard library, never
  Streamlit, Plotly, pandas or ``lab`` (not even inside a function).
- ``lab`` never imports a page; ``lab.figures`` and ``lab.content`` are pure (no Streamlit).
- No import cycle among the lab's own modules, counting imports made inside functions.
- Pages share one template: at most 220 lines, no hex colour, no chart built by hand (live-chart
  primitives and Plotly traces belong to ``lab.figures``), and no panel function that reads a
  page's module-level variables (only UPPER_CASE constants, imports and other functions).

Each check parses the files with :mod:`ast`; the messages name the file and line to fix.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE_LINE_BUDGET = 220
PAGES = sorted((ROOT / "pages").glob("*.py"))
#: Calls that build a chart by hand: they belong in a lab/figures builder, not in a page.
CHART_PRIMITIVES = {"line", "curve", "point", "bars", "segment", "vline", "hline", "chart_spec"}
HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every module a file imports, anywhere in it (inside functions too), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            # "from lab.components import live_chart" imports the submodule lab.components.live_chart
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _is_under(module: str, *roots: str) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def test_ce_core_imports_nothing_of_the_interface():
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _python_files("ce_core")
        for module, line in _imports(path)
        if _is_under(module, "streamlit", "plotly", "pandas", "lab", "pages", "tests", "bench")
    ]
    assert not bad, "ce_core is the mathematics only:\n" + "\n".join(bad)


def test_lab_never_imports_a_page_a_test_or_a_bench():
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _python_files("lab")
        for module, line in _imports(path)
        if _is_under(module, "pages", "tests", "bench")
    ]
    assert not bad, "data flows pages -> lab -> ce_core:\n" + "\n".join(bad)


def test_figures_and_content_do_not_import_streamlit():
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _python_files("lab/figures", "lab/content")
        for module, line in _imports(path)
        if _is_under(module, "streamlit", "lab.components", "lab.workspace", "lab.ui")
    ]
    assert not bad, "figure builders and words are pure (data in, figure or text out):\n" + "\n".join(bad)


def _lab_graph() -> dict[str, set[str]]:
    files = _python_files("lab", "ce_core")
    modules = {_module_name(p) for p in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        name = _module_name(path)
        graph[name] = {m for m, _ in _imports(path) if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            # a package's __init__ that imports its own submodule is not a cycle of two modules
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycle_in_the_lab_even_inside_functions():
    cycle = _cycle(_lab_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_fits_its_line_budget(page):
    lines = len(page.read_text(encoding="utf-8").splitlines())
    assert lines <= PAGE_LINE_BUDGET, f"{page.name} has {lines} lines (budget {PAGE_LINE_BUDGET})"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_writes_no_colour_and_builds_no_chart(page):
    source = page.read_text(encoding="utf-8")
    colours = [
        f"line {i}: {m.group()}"
        for i, text in enumerate(source.splitlines(), 1)
        for m in HEX_COLOUR.finditer(text)
    ]
    assert not colours, f"{page.name}: colours come from lab/figures/theme.py: {colours}"
    built = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else ""
            if node.func.attr in CHART_PRIMITIVES and owner_name in {"live", "lc"}:
                built.append(f"line {node.lineno}: {owner_name}.{node.func.attr}(...)")
            if owner_name == "go":
                built.append(f"line {node.lineno}: go.{node.func.attr}(...)")
    assert not built, f"{page.name}: charts are built in lab/figures: {built}"


def _top_level_assignments(tree: ast.Module) -> set[str]:
    """Names bound by statements of the module body itself (not inside a def)."""
    names: set[str] = set()

    def collect(statements):
        for node in statements:
            if isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom
            ):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    break
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and not sub.id.isupper():
                    names.add(sub.id)

    collect(tree.body)
    return names


def _globals_read_in_functions(source: str) -> list[str]:
    tree = ast.parse(source)
    module_vars = _top_level_assignments(tree)
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        local = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
        local |= {a.arg for a in (func.args.vararg, func.args.kwarg) if a}
        for node in ast.walk(func):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                local.add(node.id)
            elif isinstance(node, ast.arg):
                local.add(node.arg)
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and node.id in module_vars
                and node.id not in local
            ):
                found.append(f"{func.name}() reads {node.id} (line {node.lineno})")
    return found


def test_the_globals_check_sees_a_module_variable_read_inside_a_function():
    source = "ws = 1\nLIMIT = 2\ndef panel(x):\n    return ws + LIMIT + x\n"
    assert _globals_read_in_functions(source) == ["panel() reads ws (line 4)"]
    assert _globals_read_in_functions("ws = 1\ndef panel(ws):\n    return ws\n") == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_functions_take_their_inputs_as_arguments(page):
    found = _globals_read_in_functions(page.read_text(encoding="utf-8"))
    assert not found, f"{page.name}: a panel takes what it needs as arguments: {found}"
