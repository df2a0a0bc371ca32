"""Settings for the whole suite that pytest must see before it collects any test."""

from hypothesis import settings

# Hypothesis fails an example that takes longer than its deadline (200 ms by default). On a
# busy two-core CI machine that is a flaky wall-clock assertion, which the suite never makes.
settings.register_profile("maca", deadline=None)
settings.load_profile("maca")
