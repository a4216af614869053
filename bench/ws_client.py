"""A minimal Streamlit client that speaks the browser's websocket protocol.

What a browser tab does, and what :class:`StreamlitSession` repeats:

1. ``GET /_stcore/health``. The answer sets the ``_streamlit_xsrf`` cookie (and, behind our nginx,
   the ``lab_affinity`` cookie that pins the tab to one replica).
2. Open ``ws://HOST/_stcore/stream`` with those cookies, an ``Origin`` header, and the
   ``Sec-WebSocket-Protocol`` list ``streamlit, <xsrf token>``: Streamlit repurposes the
   subprotocol header to carry the XSRF token (and, on reconnect, a session id), and selects
   ``streamlit``. With XSRF protection on, a missing token does not refuse the socket; it only
   stops the server from reading the login cookie, so nothing has to be switched off.
3. Send ``BackMsg(rerun_script=ClientState(query_string, page_name, widget_states))`` and read
   ``ForwardMsg`` frames (one protobuf per binary frame) until ``script_finished``.
4. To move a slider, send another ``rerun_script`` whose ``widget_states`` holds a
   ``WidgetState(id=<the slider's element id>, double_array_value=[v])``. Widgets left out keep
   their previous server-side value, so the other controls do not have to be echoed.

Like the browser, the client remembers the hash of every ``cacheable`` message it has received
and lists them in ``ClientState.cached_message_hashes``; the server then answers with a short
``ref_hash`` message instead of resending an unchanged large element (a Plotly figure).

Only loopback addresses are accepted (``127.0.0.1``, ``::1``, ``localhost``).
"""

from __future__ import annotations

import asyncio
import http.client
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
XSRF_COOKIE = "_streamlit_xsrf"
FINISHED = ForwardMsg.ScriptFinishedStatus
MAX_FRAME_BYTES = 64 * 1024 * 1024


class ProtocolError(RuntimeError):
    """The server answered something this client did not expect (or nothing in time)."""


def check_loopback(url: str) -> tuple[str, int]:
    """Host and port of ``url``; ValueError unless it points at this machine's loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "ws") or parts.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"url must be http://127.0.0.1:PORT (loopback only), got {url!r}")
    return parts.hostname, parts.port or 80


def fetch_cookies(url: str, cookies: dict[str, str] | None = None, timeout: float = 10.0) -> dict[str, str]:
    """``GET /_stcore/health`` (sending ``cookies``) and return the cookies the answer sets (blocking)."""
    host, port = check_loopback(url)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        conn.request("GET", "/_stcore/health", headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200 or body.strip() != b"ok":
            raise ProtocolError(f"health check answered {resp.status} {body[:80]!r}")
        jar = SimpleCookie()
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}
    finally:
        conn.close()


@dataclass
class RunResult:
    """One script run as seen by the client."""

    seconds: float
    status: int
    exceptions: list[str] = field(default_factory=list)
    messages: int = 0
    bytes: int = 0
    cache_hits: int = 0

    @property
    def ok(self) -> bool:
        return self.status == FINISHED.FINISHED_SUCCESSFULLY and not self.exceptions


class StreamlitSession:
    """One simulated browser tab. Use ``async with StreamlitSession(url) as s: ...``."""

    def __init__(
        self,
        url: str,
        *,
        page: str = "",
        query_string: str = "",
        cookies: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.url = url.rstrip("/")
        self.host, self.port = check_loopback(self.url)
        self.page = page
        self.query_string = query_string
        self.extra_cookies = dict(cookies or {})
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.elements: dict[str, object] = {}  # element id -> widget proto of the last run
        self.texts: list[str] = []  # markdown/caption bodies of the last run
        self.cache: dict[str, ForwardMsg] = {}  # hash -> cacheable message, as the browser keeps
        self.session_id = ""
        self._ws = None

    async def __aenter__(self) -> StreamlitSession:
        await self.open()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def open(self) -> None:
        # Cookies we bring (e.g. an affinity key) go with the health request too, as a browser's would.
        answer = await asyncio.to_thread(fetch_cookies, self.url, self.extra_cookies, self.timeout)
        self.cookies = {**self.extra_cookies, **answer}
        token = self.cookies.get(XSRF_COOKIE, "")
        origin = f"http://{self.host}:{self.port}"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        ws_url = "ws" + self.url[len("http") :] + "/_stcore/stream"
        self._ws = await asyncio.wait_for(
            connect(
                ws_url,
                origin=origin,
                additional_headers=headers,
                subprotocols=["streamlit", token] if token else ["streamlit"],
                max_size=MAX_FRAME_BYTES,
                open_timeout=self.timeout,
                ping_interval=None,
            ),
            self.timeout,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def rerun(self, widget_states: list | None = None) -> RunResult:
        """Send one ``rerun_script`` and wait for its ``script_finished``; time it."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = self.page
        state.cached_message_hashes.extend(sorted(self.cache))
        for ws in widget_states or ():
            state.widget_states.widgets.add().CopyFrom(ws)
        # Widgets drawn in this run replace the ones seen before.
        self.elements = {}
        self.texts = []
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        result = RunResult(seconds=0.0, status=-1)
        deadline = started + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished within {self.timeout:g} s")
            try:
                frame = await asyncio.wait_for(self._ws.recv(), remaining)
            except TimeoutError as exc:
                raise ProtocolError(f"no script_finished within {self.timeout:g} s") from exc
            fwd = ForwardMsg()
            fwd.ParseFromString(frame)
            result.messages += 1
            result.bytes += len(frame)
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash":  # an unchanged large element we already hold
                if fwd.ref_hash not in self.cache:
                    raise ProtocolError(f"ref_hash {fwd.ref_hash} not in the client cache")
                result.cache_hits += 1
                fwd = self.cache[fwd.ref_hash]
                kind = fwd.WhichOneof("type")
            elif fwd.metadata.cacheable and fwd.hash:
                self.cache[fwd.hash] = fwd
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "delta":
                self._note_delta(fwd, result)
            elif kind == "page_info_changed":  # the browser's address bar follows bound widgets
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "script_finished":
                if fwd.script_finished == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # superseded by a newer run (fast reruns); ours is still coming
                result.status = fwd.script_finished
                result.seconds = time.perf_counter() - started
                return result

    def _note_delta(self, fwd: ForwardMsg, result: RunResult) -> None:
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        if kind == "markdown":
            self.texts.append(element.markdown.body)
            return
        widget = getattr(element, kind, None) if kind else None
        element_id = getattr(widget, "id", "") if widget is not None else ""
        if element_id:
            self.elements[element_id] = widget

    def set_url_param(self, key: str, value: str | None) -> None:
        """What the browser does to its address bar for a widget bound to the URL (``None``: drop it).

        The next ``rerun_script`` carries the new query string, as the browser's does.
        """
        params = [(k, v) for k, v in parse_qsl(self.query_string, keep_blank_values=True) if k != key]
        if value is not None:
            params.append((key, value))
        self.query_string = urlencode(params)

    def find_widget(self, key: str, kind: type | None = None):
        """The widget whose user key is ``key`` (its id ends with ``-<key>``), or None."""
        for element_id, widget in self.elements.items():
            if element_id.endswith(f"-{key}") and (kind is None or isinstance(widget, kind)):
                return widget
        return None
