"""A class answers together (issue 19): the shared store behind the class page.

:mod:`lab.classroom.store` keeps classes, questions, students and answers in SQLite or
PostgreSQL (SQLAlchemy Core); :mod:`lab.classroom.codes` makes join codes and tokens.
Nothing here imports Streamlit.
"""
