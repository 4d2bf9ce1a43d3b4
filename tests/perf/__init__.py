"""Benchmarks run by make bench (not by make test)."""
