"""lab.warmup: the one-time imports and builds run first, once, whichever script a session starts on."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def _first_import(path: Path) -> str | None:
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.Import):
            return node.names[0].name
        if isinstance(node, ast.ImportFrom):
            return node.module
    return None


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_script_imports_lab_warmup_before_anything_else(path):
    # Streamlit's older multipage path runs a page without app.py: the page itself must warm up.
    assert _first_import(path) == "lab.warmup", (
        f"{path.relative_to(ROOT)}: first import is {_first_import(path)!r}"
    )


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_warmup_imports_every_module_and_registers_the_template():
    result = _run(
        "import json, sys\n"
        "import lab.warmup as w\n"
        "import plotly.io as pio\n"
        "from lab.figures import spec\n"
        "print(json.dumps({'modules': sorted(m for m in sys.modules if m.startswith(('ce_core', 'lab', 'pandas', 'plotly'))),\n"
        "  'templates': list(pio.templates), 'cached': list(spec._TEMPLATES), 'steps': [n for n, _ in w.STEPS],\n"
        "  'timed': list(w.TIMINGS), 'ready': w.is_ready()}))\n"
    )
    expected = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "ce_core").rglob("*.py")
    }
    assert expected - set(result["modules"]) == set()
    assert {"pandas", "plotly.graph_objects", "lab.ui", "lab.workspace"} <= set(result["modules"])
    assert "ce_lab" in result["templates"]
    assert "ce_lab" in result["cached"]
    assert result["ready"]
    assert result["timed"] == result["steps"]  # every step ran, in order


def test_threads_importing_it_at_once_all_find_everything_built():
    """Eight threads start at one barrier; each then uses pandas and the template at once."""
    result = _run(
        "import json, threading\n"
        "barrier = threading.Barrier(8)\n"
        "errors, seen = [], []\n"
        "def first_run():\n"
        "    barrier.wait()\n"
        "    try:\n"
        "        import lab.warmup  # noqa: F401\n"
        "        import pandas as pd\n"
        "        import plotly.io as pio\n"
        "        from lab.figures.theme import base_figure\n"
        "        pd.Series([1.0])\n"
        "        seen.append(len(pio.to_json(base_figure('x').figure())))\n"
        "    except BaseException as exc:\n"
        "        errors.append(f'{type(exc).__name__}: {exc}')\n"
        "threads = [threading.Thread(target=first_run) for _ in range(8)]\n"
        "[t.start() for t in threads]\n"
        "[t.join(60) for t in threads]\n"
        "import lab.warmup as w\n"
        "print(json.dumps({'errors': errors, 'seen': seen, 'steps': len(w.STEPS), 'timed': len(w.TIMINGS)}))\n"
    )
    assert result["errors"] == []
    assert len(result["seen"]) == 8
    assert len(set(result["seen"])) == 1
    assert result["timed"] == result["steps"]


def test_a_step_appended_runs_once_on_the_next_call():
    result = _run(
        "import json, threading\n"
        "import lab.warmup as w\n"
        "calls = []\n"
        "w.step('counting')(lambda: calls.append(threading.get_ident()))\n"
        "w._ready = False  # as in a process whose steps list grew before its first run\n"
        "threads = [threading.Thread(target=w.ensure_ready) for _ in range(6)]\n"
        "[t.start() for t in threads]\n"
        "[t.join(60) for t in threads]\n"
        "w.ensure_ready()\n"
        "print(json.dumps({'calls': len(calls)}))\n"
    )
    assert result["calls"] == 1
