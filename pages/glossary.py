"""Glossary: every term used in the lab, with its formula and a link to its lesson."""

import lab.warmup  # noqa: F401  (first: imports and builds everything once, under a lock)

import streamlit as st

from lab.content.glossary import NOTATION, TERMS
from lab.nav import LESSONS, page_file
from lab.ui import page_header

page_header(
    "Glossary", "Every term the lab uses, with its formula and the lesson where you can play with it."
)


def notation_panel() -> None:
    """The lab's one notation."""
    with st.container(border=True, key="gl_notation"):
        st.markdown("**One notation across the lab**")
        st.markdown("\n".join(f"- ${symbol}$: {meaning}" for symbol, meaning in NOTATION))
        st.caption("Classes are counted from 0 everywhere, as in Python and PyTorch: class 0, class 1, ...")


def terms_panel() -> None:
    """A search box, then every term that matches it, with its formula and its lesson."""
    search = (
        st.text_input("Find a term", key="gl_search", placeholder="e.g. entropy", max_chars=40)
        .strip()
        .lower()
    )
    shown = [t for t in TERMS if not search or search in t.term.lower() or search in t.definition.lower()]
    if not shown:
        st.info("No term matches that search.")
    for term in shown:
        with st.container(border=True):
            st.markdown(f"**{term.term}**: {term.definition}")
            st.latex(term.formula)
            st.page_link(
                page_file(term.lesson),
                label=f"Lesson: {LESSONS[term.lesson].title}",
                icon=":material/arrow_forward:",
            )


notation_panel()
terms_panel()
