"""The lab's private keys in ``st.session_state``: one name each, written here once.

A key that starts with "_" is never a widget key, so it is never bound to the URL and never
reported by the link check (``lab.link_check`` skips names starting with "_"). Widget keys (the
lesson controls, bound to the URL) are named in ``lab.lesson_keys``.
"""

# ---- the link the session was opened with (lab.link_check) -----------------------------------

#: ``{name: text}``: the query parameters of the session's opening link, each cut to
#: ``lab.link_check.MAX_PARAM_LENGTH``. Written once by ``link_check.capture_raw_params`` (app.py);
#: read by the workspace (its opening state) and the one-hot lesson (did the link set p or q?).
RAW_PARAMS = "_raw_params"
#: bool: whether the opening link has been checked (False until the end of the first run).
#: Written by ``link_check.capture_raw_params`` and ``link_check.check_link``.
LINK_CHECKED = "_link_checked"
#: str: the url path of the page the session began on ("home" for the default page).
#: Written once by app.py; read by the one-hot lesson.
FIRST_PAGE = "_first_page"

# ---- the run (app.py and lab.ui) -------------------------------------------------------------

#: bool: app.py is running this page (set by app.py right before ``navigation.run()``); popped by
#: ``lab.ui.ensure_app_run`` to tell a run through app.py from a page started on its own.
VIA_APP = "_via_app"
#: bool: ``lab.ui.ensure_app_run`` has rerun the session through app.py once (never a loop).
REROUTED = "_rerouted"
#: ``{chart key: (caption, figure)}``: every chart shown in this run, for the CSV download.
#: Emptied by ``lab.ui.start_run`` (app.py); filled by ``lab.ui.chart`` and the live controls of
#: ``lab.components``; read by ``lab.ui.export_numbers``.
CHARTS = "_charts"
#: Prefix of the key of a "Show the code behind this" expander (``lab.ui.show_source``), which
#: keeps its open state in the session.
SOURCE_PREFIX = "_src_"

# ---- the shared workspace (lab.workspace) ----------------------------------------------------

#: dict: the workspace's state (``k``, ``names``, ``p``, ``q``, ``error``, ``link_problems``).
#: Written by ``lab.workspace`` (and by the p/q editor's callback through it).
WORKSPACE_STATE = "_ws_state"
#: ``lab.workspace.Workspace``: the workspace of this run, as the sidebar read it. Written by
#: app.py (and ``lab.workspace.current`` for a page run on its own, the one-hot lesson when it
#: opens on its worked example); read by ``lab.workspace.current``.
WORKSPACE = "_workspace"

# ---- predict, then reveal (lab.predict) ------------------------------------------------------

#: ``{question key: record}``: the locked-in guess of each question (its situation, guess, verdict).
#: Written by ``lab.predict`` (lock in, ask again).
PREDICTIONS = "_predictions"
#: list of dicts: every guess of the session in order, which the quiz page lists. Written by
#: ``lab.predict``.
PREDICTION_LOG = "_prediction_log"

# ---- lessons' own state (pages) --------------------------------------------------------------

#: bool: the one-hot lesson has opened once in this session (on its worked example).
#: Written by pages/one_hot_loss.py.
ONE_HOT_OPENED = "_oh_opened"
#: ``(k, p, q)``: the learner's workspace before the one-hot lesson put in its worked example, to
#: bring back with one click. Written and popped by pages/one_hot_loss.py.
ONE_HOT_PREVIOUS = "_oh_previous"
#: dict: the training lesson's model, data and history (not a widget). Written by pages/training.py.
TRAINING = "_tr_state"
#: ``((sha256 of the uploaded bytes, kind), lab.predictions.Analysis)``: the "Your model" lesson's
#: analysis of the learner's last upload, kept for this session only (an upload belongs to its
#: session). Written by pages/your_model.py.
YOUR_MODEL_ANALYSIS = "_ym_analysis"
