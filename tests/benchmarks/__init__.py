"""Benchmarks run by `make bench`, one module per subject (bench_<name>.py)."""
