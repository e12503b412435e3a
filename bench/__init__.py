"""Benchmarks: each script prints JSON; run from the checkout as ``python -m bench.<name>``."""
