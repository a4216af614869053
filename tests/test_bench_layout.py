"""bench/ is a package of scripts run as ``python -m bench.<name>``; it stands on its own.

The browser tests import their server and browser helpers from bench.harness, never the other
way round: no module under bench/ imports ``tests`` or edits ``sys.path``, and every bench
script imports without running (its work sits under ``if __name__ == "__main__":``).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
#: Streamlit apps that bench/latency.py serves with ``streamlit run`` (scripts by nature, not modules).
STREAMLIT_APPS = {"floor_app", "floor_chart_app"}
MODULES = sorted(path.stem for path in BENCH.glob("*.py") if path.stem != "__init__")


def _tree(name: str) -> ast.Module:
    return ast.parse((BENCH / f"{name}.py").read_text(), filename=f"bench/{name}.py")


def _imported(tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_the_bench_scripts_are_found():
    scripts = {name for name in MODULES if name not in STREAMLIT_APPS and _is_script(name)}
    assert {"load", "memory", "cold_start", "hostile", "latency", "drag", "live_drag", "cold_load"} <= scripts


@pytest.mark.parametrize("name", MODULES)
def test_no_bench_module_imports_tests(name):
    tests = [module for module in _imported(_tree(name)) if module == "tests" or module.startswith("tests.")]
    assert not tests, f"bench/{name}.py imports {tests}: bench must not depend on the test-suite"


@pytest.mark.parametrize("name", MODULES)
def test_no_bench_module_edits_sys_path(name):
    edits = [
        f"line {node.lineno}"
        for node in ast.walk(_tree(name))
        if isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    ]
    assert not edits, (
        f"bench/{name}.py touches sys.path ({', '.join(edits)}): run it as python -m bench.{name}"
    )


def _runs_on_import(node: ast.stmt) -> bool:
    """A top-level statement that does work when the module is imported (a call, a loop...)."""
    if isinstance(node, ast.If):  # only the main guard may hold the work
        test = node.test
        return not (
            isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
        )
    if isinstance(node, ast.Expr):
        return not isinstance(node.value, ast.Constant)  # a docstring is fine, a bare call is not
    return isinstance(node, ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith | ast.Try)


@pytest.mark.parametrize("name", sorted(set(MODULES) - STREAMLIT_APPS))
def test_each_bench_module_imports_without_running(name):
    work = [f"line {node.lineno}" for node in _tree(name).body if _runs_on_import(node)]
    assert not work, f"bench/{name}.py does work at import ({', '.join(work)}): put it under __main__"
    module = importlib.import_module(f"bench.{name}")
    assert module.__name__ == f"bench.{name}"


def _is_script(name: str) -> bool:
    return any(isinstance(node, ast.If) and not _runs_on_import(node) for node in _tree(name).body)


@pytest.mark.parametrize(
    "name", [name for name in MODULES if name not in STREAMLIT_APPS and _is_script(name)]
)
def test_each_bench_script_says_how_to_run_it(name):
    assert f"python -m bench.{name}" in (ast.get_docstring(_tree(name)) or ""), (
        f"bench/{name}.py's docstring should show its command line, python -m bench.{name} ..."
    )
