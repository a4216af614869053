"""Streamlit-side helpers of the lab: the shared workspace sidebar and page furniture.

Everything mathematical lives in :mod:`ce_core`; this package only turns widget
values into ``ce_core`` inputs and puts results on screen.
"""
