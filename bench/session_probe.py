"""``streamlit run app.py`` plus a thread that writes what the server holds.

For tests/test_sessions.py and ``python -m bench.hostile --probe`` (bench.harness.start_streamlit
starts it when given ``probe_out``); by hand, from the repository root:

    PROBE_OUT=/tmp/probe.jsonl python -m bench.session_probe --server.port 8501 ...

Every PROBE_EVERY seconds (default 0.5) one JSON line: sessions with a websocket (``active``),
disconnected sessions stored for a reconnect, expired or not (``stored``), AppSession objects
alive in the heap (``alive``), and sessions holding media-file references (``media``). It only
reads; the server is the real one.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sample() -> dict:
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession

    if not Runtime.exists():
        return {}
    runtime = Runtime.instance()
    mgr = runtime._session_mgr
    return {
        "t": time.monotonic(),
        "active": len(mgr._active_session_info_by_id),
        "stored": len(mgr._session_storage._cache._data),
        "alive": sum(1 for o in gc.get_objects() if type(o) is AppSession),
        "media": len(runtime.media_file_mgr._files_by_session_and_coord),
    }


def _probe(path: str, every: float) -> None:
    while True:
        time.sleep(every)
        try:
            record = _sample()
        except Exception as exc:  # report, keep probing
            record = {"error": repr(exc)}
        with open(path, "a") as fh:
            fh.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    # Import everything the probe touches BEFORE its thread starts: two threads importing
    # Streamlit at once is the very race of issue 14.
    import streamlit.runtime.app_session  # noqa: F401
    from streamlit.web.cli import main

    threading.Thread(
        target=_probe,
        args=(os.environ["PROBE_OUT"], float(os.environ.get("PROBE_EVERY", "0.5"))),
        daemon=True,
    ).start()
    os.chdir(ROOT)
    sys.argv = ["streamlit", "run", "app.py", *sys.argv[1:]]
    main()
