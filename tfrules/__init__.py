"""tfrules: a declarative rules language and compiler for Troubled Families outcome criteria."""

__version__ = "0.1.0"
