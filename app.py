"""Cross-Entropy Lab: entry point. Run with `streamlit run app.py`."""

import streamlit as st

from lab import links
from lab.ui import export_numbers, start_run
from lab.workspace import render_sidebar

st.set_page_config(page_title="Cross-Entropy Lab", page_icon=":material/functions:", layout="wide")
links.capture_raw_params()

PAGES = {
    "Start": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    ],
    "Information": [
        st.Page("pages/surprisal.py", title="Surprisal", icon=":material/bolt:", url_path="surprisal"),
        st.Page("pages/entropy.py", title="Entropy", icon=":material/casino:", url_path="entropy"),
        st.Page("pages/cross_entropy_kl.py", title="Cross-entropy and KL", icon=":material/compare_arrows:",
                url_path="cross-entropy"),
        st.Page("pages/one_hot_loss.py", title="The one-hot loss", icon=":material/looks_one:",
                url_path="one-hot"),
        st.Page("pages/bits_on_the_wire.py", title="Bits on the wire", icon=":material/cable:",
                url_path="bits"),
    ],
    "The loss": [
        st.Page("pages/binary_ce.py", title="Binary cross-entropy", icon=":material/toggle_on:", url_path="binary"),
        st.Page("pages/softmax_logits.py", title="Softmax and logits", icon=":material/bar_chart:",
                url_path="softmax"),
        st.Page("pages/label_smoothing.py", title="Label smoothing", icon=":material/blur_on:",
                url_path="label-smoothing"),
        st.Page("pages/focal_loss.py", title="Focal loss", icon=":material/center_focus_strong:",
                url_path="focal"),
        st.Page("pages/class_weights.py", title="Class weights", icon=":material/balance:",
                url_path="class-weights"),
        st.Page("pages/clipping.py", title="The clipping lab", icon=":material/content_cut:",
                url_path="clipping"),
        st.Page("pages/framework_parity.py", title="Framework parity", icon=":material/code:",
                url_path="parity"),
        st.Page("pages/training.py", title="Training", icon=":material/model_training:", url_path="training"),
    ],
}

navigation = st.navigation(PAGES, expanded=True)
link_notice = st.container()
st.session_state["_workspace"] = render_sidebar()
with st.sidebar.container(key="share"), st.expander("Share and present", icon=":material/share:"):
    st.toggle("Presenter mode", key="presenter", bind="query-params",
              help="Larger text, lines and markers for a projector; long explanations hidden.")
    st.caption("The address bar always holds this exact view. Copy it from here:")
    st.code(links.share_link(), language=None, wrap_lines=True)
    st.caption("Add `&hide=workspace` (or `p`, `q`, `presets`, `names`, `share`, a control's key) "
               "to a link to hide those controls for students.")
links.apply_view_options()
start_run()
navigation.run()
links.check_link(link_notice)
st.divider()
export_numbers(navigation.url_path or "home")
