"""Cross-Entropy Lab: entry point. Run with `streamlit run app.py`."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from lab import state_keys
from lab.components.share_box import share_box
from lab.link_check import capture_raw_params, check_link
from lab.nav import SECTIONS
from lab.ui import export_numbers, start_run
from lab.view import apply_view_options
from lab.workspace import render_sidebar, write_url

st.set_page_config(page_title="Cross-Entropy Lab", page_icon=":material/functions:", layout="wide")
capture_raw_params()

PAGES = {
    section: [
        st.Page(lesson.file, title=lesson.title, icon=lesson.icon, default=not lesson.url_path)
        for lesson in lessons
    ]
    for section, lessons in SECTIONS.items()
}
navigation = st.navigation(PAGES, position="top")
st.session_state.setdefault(state_keys.FIRST_PAGE, navigation.url_path or "home")  # where this session began
link_notice = st.container()
st.session_state[state_keys.WORKSPACE] = render_sidebar()
with st.sidebar.container(key="share"), st.expander("Share and present", icon=":material/share:"):
    st.toggle(
        "Presenter mode",
        key="presenter",
        bind="query-params",
        help="Larger text, lines and markers for a projector; long explanations hidden.",
    )
    st.toggle(
        "Ask me to predict first",
        value=True,
        key="predict",
        bind="query-params",
        help="On the key lessons, a question comes before the numbers that answer it.",
    )
    st.caption("The address bar always holds this exact view. Copy it from here:")
    share_box(key="share_link")
    st.caption(
        "Add `&hide=workspace` (or `presets`, `names`, `share`, a control's key) to a link to "
        "hide those controls for students; `&hide=p` or `q` shows that distribution read-only."
    )
apply_view_options()
start_run()
st.session_state[state_keys.VIA_APP] = True
navigation.run()
write_url()
check_link(link_notice)
st.divider()
export_numbers(navigation.url_path or "home")
