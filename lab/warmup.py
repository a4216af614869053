"""Everything the lab does once per process, done once, by one thread, before any lesson runs.

Every session of a ``streamlit run`` is a thread of the same process. When a class opens its
links together on a freshly started server, several first runs start at the same moment, and
each would import Plotly, pandas and NumPy and build the lab's Plotly template on its own.
Python's imports are not safe for that: Plotly checks ``sys.modules`` for pandas and finds a
module another thread is still importing ("partially initialized module 'pandas' has no
attribute 'Series'"), and two threads importing the same package graph in different orders
deadlock (``_DeadlockError``). A learner then sees "This app has encountered an error".

So ``app.py`` and every page start with::

    import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

(ruff's isort keeps it first: ``[tool.ruff.lint.isort]`` puts ``lab.warmup`` in a section of
its own before the standard library). Importing this module runs :func:`ensure_ready`; a
second thread importing it meanwhile waits for the first to finish, and every later run finds
it in ``sys.modules`` at no cost. The old multipage path of Streamlit (a lesson link opened
first on a fresh server runs the page file without app.py, see ``lab.ui.ensure_app_run``)
is covered because the page itself starts with this import, not only app.py.

What is *not* here, and why it is already safe:

- ``st.cache_data`` / ``st.cache_resource`` figures in the pages: Streamlit computes one key
  under a per-key lock, so concurrent first calls with the same arguments compute once; the
  modules they need are imported here.
- ``functools.cache`` on ``lab.ui._source``: a race would read the same file twice (same
  result); it runs only when a learner opens "Show the code behind this".

To add a one-time step (for example registering a custom component), append it to
:data:`STEPS` (see :func:`step`); steps run in order, once, under :data:`LOCK`.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import threading
import time
from collections.abc import Callable

#: Held while the steps run. Re-entrant: a step may import a module that imports this one.
LOCK = threading.RLock()

#: ``(name, callable)`` in the order they run. Append with :func:`step`.
STEPS: list[tuple[str, Callable[[], object]]] = []

#: Seconds each step took in this process (name -> seconds), for the benchmark and the tests.
TIMINGS: dict[str, float] = {}

_ready = False


def step(name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Decorator: append ``func`` to :data:`STEPS` under ``name``.

    A step must be idempotent (it may run again in a process where an earlier step failed) and
    must not draw anything (it can run before a page has a script context, e.g. in a test).
    """

    def add(func: Callable[[], object]) -> Callable[[], object]:
        STEPS.append((name, func))
        return func

    return add


def _import_all(*names: str) -> None:
    for name in names:
        importlib.import_module(name)


def _import_package(package: str) -> None:
    """The package and every module below it (new modules are covered without editing this list)."""
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        importlib.import_module(info.name)


# ---------------------------------------------------------------------------- the steps


@step("NumPy, pandas, pyarrow")
def _data_libraries() -> None:
    # pandas and pyarrow: Plotly's validators look pandas up in sys.modules, and st.dataframe /
    # st.table serialise through pyarrow's pandas bridge (imported on first use).
    _import_all("numpy", "pandas", "pyarrow", "pyarrow.pandas_compat")
    import pandas as pd
    import pyarrow as pa

    pa.Table.from_pandas(pd.DataFrame({"x": [0.5, 1.0], "name": ["p", "q"]}))


@step("Plotly")
def _plotly() -> None:
    # What st.plotly_chart imports on its first call, and what plotly imports inside functions
    # (JSON engine, typed-array encoding, dataframe interchange).
    _import_all(
        "plotly",
        "plotly.graph_objects",
        "plotly.io",
        "plotly.io._json",
        "plotly.tools",
        "plotly.offline",
        "plotly.exceptions",
        "plotly.animation",
    )


@step("streamlit's modules imported on first use")
def _streamlit_lazy() -> None:
    # Icon names are loaded when the first icon is validated (st.Page, st.expander, ...);
    # _strptime is CPython's classic non-thread-safe first import.
    _import_all("streamlit.material_icon_names", "_strptime", "streamlit.elements.lib.streamlit_plotly_theme")


@step("the lab's mathematics (ce_core), figure builders (lab.figures) and words (lab.content)")
def _ce_core() -> None:
    # Importing lab.figures.theme registers the lab's Plotly template (pio.templates).
    _import_package("ce_core")
    _import_package("lab.figures")
    _import_package("lab.content")


@step("the lab's Plotly template, built and serialised once")
def _template() -> None:
    import pandas as pd
    import plotly.graph_objects as go
    import plotly.io as pio

    from lab.figures.spec import _template as template_json
    from lab.figures.theme import TEMPLATE_NAME, base_figure

    template_json(TEMPLATE_NAME)  # FigureSpec's cache of the template as plain JSON
    # A validated figure with pandas data, then both JSON paths (the exact first use of a page).
    fig = go.Figure(go.Scatter(x=pd.Series([0.0, 1.0]), y=[1.0, 0.0]), layout={"template": TEMPLATE_NAME})
    pio.to_json(fig, validate=True)
    spec = base_figure("warm-up")
    spec.add_bar(x=["a", "b"], y=[0.5, 0.5])
    pio.to_json(spec.figure(), validate=False)


@step("the lab's Streamlit helpers")
def _lab() -> None:
    _import_all(
        "lab.nav",
        "lab.lesson_keys",
        "lab.content.glossary",
        "lab.workspace",
        "lab.view",
        "lab.link_check",
        "lab.predict",
        "lab.ui",
    )


@step("the lab's custom components (lab/components/)")
def _components() -> None:
    # A component module that calls st.components.v2.component(...) at import time is registered
    # here, once, by this thread. Nothing to do until lab/components/ exists.
    if importlib.util.find_spec("lab.components") is not None:
        _import_package("lab.components")
    from lab.components import bar_control, live_chart, pq_editor, share_box

    pq_editor.component()  # each registers once per process (and takes its own lock too)
    live_chart.component()
    bar_control.component()
    share_box.component()


@step("the sweeper that releases expired sessions (lab.sessions)")
def _session_sweeper() -> None:
    from lab import sessions

    sessions.start()


# ---------------------------------------------------------------------------- entry point


def ensure_ready() -> None:
    """Run every step of :data:`STEPS` once per process; other threads wait until it is done."""
    global _ready
    if _ready:
        return
    with LOCK:
        if _ready:
            return
        for name, func in STEPS:
            started = time.perf_counter()
            func()
            TIMINGS[name] = time.perf_counter() - started
        _ready = True


def is_ready() -> bool:
    return _ready


ensure_ready()
