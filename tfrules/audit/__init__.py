"""Audit bundles: what a run read and wrote, with hashes, and re-running it to
confirm the same outputs (`tfrules verify`)."""
