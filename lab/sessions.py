"""Release the sessions Streamlit keeps after a disconnect, once their time is up.

Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` (120 s) so that a
reconnecting browser finds its state. It stores them in a TTL cache that only *reaps* expired
entries when something else writes to it (the next disconnect), and it drops what it reaps
(or evicts past 128 stored sessions) without shutting the session down, so the session's
references in the media-file and dataframe-source managers (e.g. the deferred CSV download of
every chart of the page) stay behind. Measured (python -m bench.hostile): 200 hostile links
and 80 slider changes took a fresh server from 70 to 198 MiB, and ten idle minutes later it
still held 198 MiB and 128 expired sessions.

:func:`start` runs :func:`release_expired` every :data:`EVERY_S` seconds on Streamlit's own
event loop (where Streamlit disconnects and shuts sessions down): expired sessions are reaped
and shut down as Streamlit's own disconnect path does, references left by sessions that no
longer exist are cleared, and the freed memory is collected and handed back to the system.

Only Streamlit's internals give access to these objects; every access is guarded, so a
Streamlit that changes them makes this a no-op (logged once), never an error.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import logging
import os
import threading
import time

_LOGGER = logging.getLogger(__name__)

#: Seconds between two sweeps (environment: LAB_SESSION_SWEEP_S). With Streamlit's default TTL
#: a closed tab's session is released 120-150 s after it closed.
EVERY_S = float(os.environ.get("LAB_SESSION_SWEEP_S", "30"))

_started = False
_start_lock = threading.Lock()
_warned = False


def start(every: float = EVERY_S) -> bool:
    """Start the sweeping thread once per process; False if it was already running."""
    global _started
    with _start_lock:
        if _started:
            return False
        thread = threading.Thread(target=_loop, args=(every,), name="lab-session-sweeper", daemon=True)
        thread.start()
        _started = True
        return True


def _loop(every: float) -> None:
    while True:
        time.sleep(every)
        try:
            _on_event_loop(release_expired)
        except Exception:  # never let the sweeper die or disturb a lesson
            _LOGGER.warning("session sweep failed", exc_info=True)


def _runtime():
    from streamlit.runtime import Runtime

    return Runtime.instance() if Runtime.exists() else None


def _on_event_loop(func) -> None:
    runtime = _runtime()
    objs = getattr(runtime, "_async_objs", None) if runtime is not None else None
    loop = getattr(objs, "eventloop", None)
    if loop is None or loop.is_closed():
        return
    loop.call_soon_threadsafe(func)


def _unsupported(what: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        _LOGGER.info("lab.sessions: this Streamlit has no %s; expired sessions are left to Streamlit", what)


def release_expired(runtime=None) -> dict[str, int]:
    """Reap and shut down expired disconnected sessions; clear what departed sessions left behind.

    Call it on Streamlit's event loop thread. Returns counts: ``reaped`` sessions and ``orphans``
    (session ids with references in the media-file or dataframe-source managers but no session).
    """
    runtime = runtime or _runtime()
    counts = {"reaped": 0, "orphans": 0}
    mgr = getattr(runtime, "_session_mgr", None)
    cache = getattr(getattr(mgr, "_session_storage", None), "_cache", None)
    lock = getattr(mgr, "_storage_lock", None)
    active = getattr(mgr, "_active_session_info_by_id", None)
    if cache is None or lock is None or active is None or not hasattr(cache, "expire"):
        _unsupported("session store it can sweep")
        return counts
    with lock:
        reaped = cache.expire()
        known = set(active) | set(getattr(cache, "_data", {}))
    for _session_id, info in reaped:
        with contextlib.suppress(Exception):
            info.session.shutdown()  # what Streamlit's disconnect does for a session it will not keep
    counts["reaped"] = len(reaped)

    media = getattr(runtime, "media_file_mgr", None)
    frames = getattr(runtime, "dataframe_source_mgr", None)
    holders = set(getattr(media, "_files_by_session_and_coord", {})) | set(
        getattr(media, "_deferred_ids_by_session", {})
    )
    holders |= set(getattr(frames, "_sources_by_session_and_coord", {}))
    orphans = holders - known
    for session_id in orphans:
        if media is not None:
            media.clear_session_refs(session_id)
        if frames is not None:
            frames.clear_all_for_session(session_id)
    if orphans and media is not None:
        media.remove_orphaned_files()
    counts["orphans"] = len(orphans)
    if reaped or orphans:
        gc.collect()
        _trim_malloc()
    return counts


def _trim_malloc() -> None:
    """Give freed heap pages back to the system (glibc); nothing elsewhere."""
    name = ctypes.util.find_library("c")
    if not name:
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(name).malloc_trim(0)
