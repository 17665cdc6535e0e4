"""Benchmarks: `make bench` (build times, scaling, Lighthouse); not tests."""
