"""Benchmarks that print figures (results in bench/RESULTS.md).

Run each from the repository root as ``python -m bench.<name>``; ``--help`` says what it measures.
"""
