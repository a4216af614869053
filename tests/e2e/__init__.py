"""Browser tests (pytest-playwright, Debian Chromium) against a real `streamlit run app.py`."""
