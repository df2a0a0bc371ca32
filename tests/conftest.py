"""Fixtures shared by every cross-app test under tests/.

Deliberately almost empty: data comes from factories (tests/factories.py) and each kind of
test keeps its own fixtures beside it (tests/browser/conftest.py for the browser).
"""
