"""Finds the Lark grammar and builds the parser once per machine.

Building the LALR tables from the grammar takes about half a second, longer
than everything else `tfrules check` does for a council's file. So the built
parser is kept in the user's cache folder (`TFRULES_CACHE_DIR`, or the
platform's cache folder for tfrules), in a file named by a digest of the
grammar, the parser's options and the versions of Lark and Python: a changed
grammar or an upgraded Lark is a new name, so a stale parser is never loaded.
A cache that cannot be read or written is passed over, never an error.
The file is a pickle, as Lark saves a parser: the cache folder must be one
only its user can write to (the platform's is; the file itself is private).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import lark
from lark import Lark

GRAMMAR_FILE = "tfrules.lark"
START_RULES = ["start", "decls", "table_decls", "table_maps"]
#: The options the parser is built with (the cache's name depends on them).
OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "strict": True,
    "propagate_positions": True,
    "maybe_placeholders": True,
    "start": START_RULES,
}
CACHE_ENV = "TFRULES_CACHE_DIR"


def grammar_text() -> str:
    """The grammar, from inside the installed package or, in a source
    checkout, from the repository's `grammar/` folder."""
    packaged = resources.files("tfrules").joinpath("grammar", GRAMMAR_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_FILE
    return checkout.read_text(encoding="utf-8")


def cache_key(text: str) -> str:
    """What the built parser depends on: the grammar, the options, Lark and Python."""
    python = "{}.{}".format(*sys.version_info[:2])
    material = "\0".join([text, repr(sorted(OPTIONS.items())), lark.__version__, python])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def cache_dir() -> Path:
    """Where built parsers are kept: `TFRULES_CACHE_DIR`, else the user's cache folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("tfrules", appauthor=False))


def cache_file(text: str, folder: Path | None = None) -> Path:
    """The file the parser built from grammar `text` is kept in."""
    return (folder or cache_dir()) / f"parser-{cache_key(text)}.lark"


def build(text: str) -> Lark:
    """The parser built from the grammar (slow: the LALR tables are computed)."""
    return Lark(text, **OPTIONS)


def _serialise(built: Lark) -> bytes:
    buffer = io.BytesIO()
    built.save(buffer)
    return buffer.getvalue()


def _read(path: Path) -> dict[str, Any] | None:
    """A saved parser as `Lark.save` writes it, or None when the file is
    missing, damaged or not one."""
    try:
        saved = pickle.loads(path.read_bytes())
    except Exception:  # missing, unreadable or not a pickle: build it again
        return None
    if isinstance(saved, dict) and {"data", "memo"} <= saved.keys():
        return saved
    return None


def _write(path: Path, data: bytes) -> None:
    """Write the parser atomically, so a reader never sees half a file;
    an unwritable cache folder only means the next run builds it again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".parser-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def built_tables(text: str, folder: Path | None = None) -> dict[str, Any]:
    """The parser built from grammar `text` as `Lark.save` writes it, kept
    in the cache `folder` (by default `cache_dir()`)."""
    data = _serialise(build(text))
    _write(cache_file(text, folder), data)
    return pickle.loads(data)


def cached_tables(text: str, folder: Path | None = None) -> dict[str, Any]:
    """The saved parser for grammar `text`: from the cache, or built and kept there."""
    return _read(cache_file(text, folder)) or built_tables(text, folder)


L = TypeVar("L", bound=Lark)


def load_parser(kind: type[L] = Lark, **options: Any) -> L:  # type: ignore[assignment]
    """A parser of class `kind` from the saved tables, with `options` (those
    Lark allows when loading: a transformer, propagate_positions)."""
    text = grammar_text()
    saved = _tables()
    try:
        return kind._load_from_dict(saved["data"], saved["memo"], **options)
    except Exception:  # written by something else under the same name: build afresh
        _tables.cache_clear()
        fresh = built_tables(text)
        return kind._load_from_dict(fresh["data"], fresh["memo"], **options)


@functools.cache
def _tables() -> dict[str, Any]:
    return cached_tables(grammar_text())


@functools.cache
def parser() -> Lark:
    """The parser that builds Lark's tree, with positions (the formatter,
    the editor's completion and the hints for syntax errors use it)."""
    return load_parser()
