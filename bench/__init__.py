"""Benchmarks: ``python -m bench [--quick] [--json]`` (CONTRACTS section 5)."""
