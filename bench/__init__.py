"""Benchmarks: ``python -m bench [--quick] [--json]``."""
