"""Hypothesis strategies shared by the test suites."""
