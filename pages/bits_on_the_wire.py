"""Placeholder: this lesson is being written."""

import streamlit as st

from lab.ui import page_header

page_header("bits on the wire", "This lesson is being written.")
st.info("Coming soon.")
