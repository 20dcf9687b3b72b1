"""One of each helper the tests share: waiting on a condition (`waiting`), a pod manifest with
defaults (`pods`) and a local API server started for a test and stopped after it (`clusters`).

Tests import them from here; `tests/conftest.py` turns them into the session fixtures.
"""
