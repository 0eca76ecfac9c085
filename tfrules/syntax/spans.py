"""Where each node of a tfrules file comes from (`Span`, `Comment`), and the
node ids the checker's annotations are kept under: the parts of the syntax
tree (`tfrules.syntax.ast`) that every node has."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import secrets
from collections.abc import Iterator
from contextvars import ContextVar

import attrs


@attrs.frozen
class Span:
    """A region of a source file; lines and columns count from 1."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def unknown(cls, file: str = "<unknown>") -> Span:
        return cls(file, 1, 1, 1, 1)


NO_SPAN = Span.unknown()


@attrs.frozen
class Comment:
    """A `# ...` comment of a source file; the grammar ignores comments, so
    they are not in the tree: the parser collects them for the formatter.

    `text` runs from the `#` to the end of the line, without trailing spaces.
    `own_line` says that nothing but spaces comes before it on its line.
    """

    line: int
    column: int
    text: str
    own_line: bool = True


def span_field() -> Span:
    return attrs.field(default=NO_SPAN, eq=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- node ids

#: Parsed ids lie above this bound (a file's base has its top bit set), ids of
#: nodes built after parsing below it, so the two never meet.
_PARSED_IDS = 1 << 95
#: Ids of nodes built after parsing start at a random block, so that nodes
#: built in two processes (one of them unpickled into the other) differ too.
_built_ids = itertools.count(secrets.randbits(62) << 32)
_numbering: ContextVar[Iterator[int] | None] = ContextVar("node_numbering", default=None)


def _next_node_id() -> int:
    counter = _numbering.get()
    return next(counter if counter is not None else _built_ids)


def file_id_base(file: str, text: str) -> int:
    """The first node id of a parsed file: a digest of its name and text,
    leaving 32 bits for numbering its nodes."""
    digest = hashlib.blake2b(f"{file}\0{text}".encode("utf-8", "surrogatepass"), digest_size=8)
    return _PARSED_IDS | (int.from_bytes(digest.digest(), "big") << 32)


@contextlib.contextmanager
def numbered_from(base: int) -> Iterator[None]:
    """Nodes built inside the block (in this thread) are numbered base, base + 1, ..."""
    token = _numbering.set(itertools.count(base))
    try:
        yield
    finally:
        _numbering.reset(token)


def node_id_field() -> int:
    return attrs.field(factory=_next_node_id, init=False, eq=False, repr=False)
