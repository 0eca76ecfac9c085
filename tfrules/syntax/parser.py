"""Reading and parsing rule files into the AST, with every syntax error reported.

`parse_text` never raises on bad input: a file that is not text, is too big,
is empty, nests too deeply or does not follow the grammar gives diagnostics.
After a syntax error the parser resumes at the next declaration, so one run
reports the errors of every declaration; a file with any error is never
checked or compiled further.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import attrs
from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from tfrules import diagnostics as diag
from tfrules.syntax import ast
from tfrules.syntax.ast_parser import ast_parser
from tfrules.syntax.collection import collection_paused
from tfrules.syntax.repairs import DECL_START, repair_hint
from tfrules.syntax.words import RESERVED_WORDS

MAX_FILE_BYTES = 5_000_000
#: How deeply expressions may nest, counted as the author wrote them (each
#: `not`, operator, quantifier or pair of parentheses around one is a level).
MAX_NESTING = 100
MAX_SYNTAX_ERRORS = 50

_DECL_START = DECL_START
#: Where the declarations of a mapping file start (`table` is a clause of a schema's entity).
_MAPPING_DECL_START = re.compile(r"^[ \t]*(table)\b", re.MULTILINE)

_TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": 'a quoted text such as "Title"',
    "INT": "a whole number",
    "DECIMAL": "a number",
    "PERCENT": "a percentage such as 15%",
    "MONEY": "an amount such as £4,000",
    "DATE": "a date such as 2013-04-01",
    "DURATION": "a duration such as 12 months",
    "$END": "the end of the file",
}


@attrs.frozen
class ParseResult:
    file: ast.File | None
    diagnostics: tuple[diag.Diagnostic, ...]
    text: str
    comments: tuple[ast.Comment, ...] = ()

    @property
    def ok(self) -> bool:
        return self.file is not None and not any(d.is_error for d in self.diagnostics)


def read_source(path: Path, display: str | None = None) -> tuple[str | None, list[diag.Diagnostic]]:
    """The text of a rule file, or diagnostics saying why it cannot be read."""
    name = display or str(path)
    where = ast.Span(name, 1, 1, 1, 1)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                diag.error(
                    "E002",
                    f"the file is too large to be a rule file ({size / 1e6:.1f} MB; "
                    f"the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)",
                    where,
                    "split the rules into several files, or check that this is the right file",
                )
            ]
        data = path.read_bytes()
    except OSError as exc:
        return None, [diag.error("E003", f"cannot read the file: {exc.strerror or exc}", where)]
    return decode_source(data, name)


def decode_source(data: bytes, name: str) -> tuple[str | None, list[diag.Diagnostic]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            diag.error(
                "E001",
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                ast.Span(name, line, column, line, column + 1),
                "save the file as UTF-8 text; rule files cannot be binary",
            )
        ]
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        return None, [
            diag.error(
                "E001",
                "the file contains a NUL character: it looks like binary data, not rules",
                ast.Span(name, line, 1, line, 2),
                "save the file as UTF-8 text; rule files cannot be binary",
            )
        ]
    return text, []


def parse_path(path: Path, display: str | None = None) -> ParseResult:
    text, problems = read_source(path, display)
    if text is None:
        return ParseResult(None, tuple(problems), "")
    return parse_text(text, display or str(path))


def parse_text(text: str, file: str = "<text>") -> ParseResult:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        span = ast.Span(file, 1, 1, 1, 1)
        return ParseResult(None, (diag.error("E002", "the text is too large", span),), text)
    comments = find_comments(text)
    if not text.strip() or _only_comments(text):
        hint = "a rule file starts with 'ruleset NAME \"Title\"', 'schema NAME' or 'mapping NAME'"
        return ParseResult(
            None,
            (diag.error("E016", "the file is empty", ast.Span(file, 1, 1, 1, 1), hint),),
            text,
            comments,
        )
    with collection_paused(), ast.numbered_from(ast.file_id_base(file, text)):
        result, problems = _parse_ast(text, file)
    if result is None:
        return ParseResult(None, tuple(problems), text, comments)
    deep = _too_deep(result)
    if deep is not None:
        message = f"the expression is nested more than {MAX_NESTING} levels deep"
        hint = "split it into named rules"
        return ParseResult(None, (diag.error("E013", message, deep.span, hint),), text, comments)
    return ParseResult(result, tuple(problems), text, comments)


@functools.cache
def _comment_scanner() -> re.Pattern[str]:
    """Quoted strings or comments, with the grammar's own patterns for both."""
    patterns = {t.name: t.pattern.to_regexp() for t in ast_parser().terminals}
    return re.compile(f"(?:{patterns['STRING']})|(?P<comment>{patterns['COMMENT']})")


def find_comments(text: str) -> tuple[ast.Comment, ...]:
    """The comments of a text, in order.

    The grammar ignores comments, so they are found by a scan of the text:
    no token but a quoted string can contain `"` or `#`, so reading strings
    and comments left to right finds exactly the comments the lexer skips
    (a `#` inside a string is not a comment), for any text that lexes.
    """
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    found: list[ast.Comment] = []
    for match in _comment_scanner().finditer(text):
        if match.group("comment") is None:
            continue
        start = match.start()
        line = bisect.bisect_right(line_starts, start)
        line_start = line_starts[line - 1]
        own_line = not text[line_start:start].strip(" \t\f\r")
        comment_text = match.group().rstrip(" \t\f\r")
        found.append(ast.Comment(line, start - line_start + 1, comment_text, own_line))
    return tuple(found)


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _parse_ast(text: str, file: str) -> tuple[ast.File | None, list[diag.Diagnostic]]:
    """The file's AST and the diagnostics of its literals, or no AST and
    every syntax error, found by resuming at each declaration after one."""
    problems: list[diag.Diagnostic] = []
    header = re.match(r"\s*(#[^\n]*\s*)*(schema|mapping)\b", text)
    kind = header[2] if header else "ruleset"
    resume_start = {"schema": "table_decls", "mapping": "table_maps"}.get(kind, "decls")
    starts = _MAPPING_DECL_START if kind == "mapping" else _DECL_START
    start, source, resumed_at = "start", text, -1
    while True:
        try:
            tree, literal_problems = ast_parser().parse(source, file, start)
        except UnexpectedInput as exc:
            problems.append(_syntax_diagnostic(exc, file, text))
            resume = _resume_point(text, exc, resumed_at, starts)
            if resume is None or len(problems) >= MAX_SYNTAX_ERRORS:
                return None, problems
            resumed_at = resume
            source = _blank(text, resume)
            start = resume_start
            continue
        if problems:
            return None, problems
        return tree, literal_problems


def _blank(text: str, upto: int) -> str:
    """The text with everything before `upto` turned to spaces, keeping line
    and column numbers of what follows."""
    head = re.sub(r"[^\n]", " ", text[:upto])
    return head + text[upto:]


def _resume_point(
    text: str, exc: UnexpectedInput, previous: int, starts: re.Pattern[str] = _DECL_START
) -> int | None:
    if isinstance(exc, UnexpectedEOF) or getattr(exc, "token", None) == "$END":
        return None
    pos = getattr(exc, "pos_in_stream", None)
    if pos is None:
        return None
    for match in starts.finditer(text):
        if match.start(1) >= pos and match.start() > previous:
            return match.start()
    return None


def _describe(names: Iterable[str]) -> list[str]:
    words = set()
    terminals = {t.name: t for t in ast_parser().terminals}
    for name in names:
        terminal = terminals.get(name)
        if name in _TERMINAL_WORDS:
            words.add(_TERMINAL_WORDS[name])
        elif terminal is not None and isinstance(terminal.pattern, PatternStr):
            words.add(f"'{terminal.pattern.value}'")
        else:
            words.add(name.lower())
    return sorted(words, key=lambda w: (not w.startswith("'"), w))


def _syntax_diagnostic(exc: UnexpectedInput, file: str, text: str) -> diag.Diagnostic:
    line = getattr(exc, "line", None) or 1
    column = getattr(exc, "column", None) or 1
    if isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        span = ast.Span(file, line, column, line, column + 1)
        return diag.error(
            "E011", f"unexpected character {char!r}", span, _character_hint(char, text, exc)
        )
    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        last_line = text.rstrip().count("\n") + 1
        last_col = len(text.rstrip().rsplit("\n", 1)[-1]) + 1
        expected = _describe(getattr(exc, "expected", None) or [])
        span = ast.Span(file, last_line, max(last_col - 1, 1), last_line, last_col)
        return diag.error(
            "E012",
            "the file ends in the middle of a declaration",
            span,
            ("expected " + _join(expected)) if expected else None,
        )
    assert isinstance(exc, UnexpectedToken)
    token: Token = exc.token
    unfinished = _unfinished_line(text, line, column)
    if unfinished is not None:
        end_line, end_text = unfinished
        span = ast.Span(file, end_line, len(end_text), end_line, len(end_text) + 1)
        return diag.error(
            "E010",
            f"this line is unfinished: it ends with '{end_text.split()[-1]}'",
            span,
            "finish the expression here; the next line starts a new declaration",
        )
    expected = _describe(exc.accepts or exc.expected)
    end_column = (
        (token.end_column or column + len(str(token))) if token.end_line == line else column + 1
    )
    span = ast.Span(file, line, column, line, end_column)
    shown = str(token) if len(str(token)) <= 40 else str(token)[:40] + "…"
    message = f"unexpected {_token_word(token)} '{shown}'"
    before = text.splitlines()[line - 1][: column - 1] if line <= text.count("\n") + 1 else ""
    hint = repair_hint(text, token) or _token_hint(token, expected, before)
    if hint is None and expected:
        hint = "expected " + _join(expected)
    return diag.error("E010", message, span, hint)


def _unfinished_line(text: str, line: int, column: int) -> tuple[int, str] | None:
    """When the error lies on a line that starts a declaration, after its
    keyword (read as a name because an expression above was left open), the
    line above that is the unfinished one: its number and text."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    current = lines[line - 1]
    start = _DECL_START.match(current)
    if start is None or column - 1 <= start.start(1) or current[start.end(1) : column - 1].strip():
        return None  # the error is not the word right after the line's keyword
    for number in range(line - 1, 0, -1):
        previous = lines[number - 1].split("#", 1)[0].rstrip()
        if previous:
            return number, previous
    return None


def _join(words: list[str]) -> str:
    if len(words) > 8:
        words = [*words[:8], "…"]
    if len(words) == 1:
        return words[0]
    return "one of " + ", ".join(words)


def _token_word(token: Token) -> str:
    if token.type == "NAME":
        return "name"
    if token.type in _TERMINAL_WORDS:
        return (
            _TERMINAL_WORDS[token.type].split(" such as")[0].removeprefix("a ").removeprefix("an ")
        )
    return "word" if str(token).isalpha() else "symbol"


_LITERALS = {"INT", "DECIMAL", "PERCENT", "MONEY", "DATE", "DURATION", "STRING"}
_OPERATORS = {"=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "of", "in", "is"}
_OPEN_ENDED_WORDS = re.compile(r"\b(count|sum|lowest|highest|latest|earliest|any|every|no)\b")


def _token_hint(token: Token, expected: list[str], before: str = "") -> str | None:
    value = str(token)
    previous = before.split()[-1] if before.split() else ""
    if value == ":" and "'='" in expected:
        return "a definition follows '=', as in: criterion work = ..."
    if token.type in _LITERALS and "'set'" in expected and before.rstrip().endswith(":"):
        return (
            "a value follows '=' and a type follows ':', as in: parameter limit = 3 "
            "or parameter limit: int = 3"
        )
    if value in _OPERATORS and previous in RESERVED_WORDS:
        return (
            f"'{previous}' is a word of the language, not a name; if it names one of your "
            "rules, choose another name for it"
        )
    if value in _OPERATORS and _OPEN_ENDED_WORDS.search(before):
        return (
            "a count, sum or quantifier must be put in parentheses before it is compared "
            "or combined, e.g. (count offences where proven) >= 2"
        )
    if value == "=" and "'='" not in expected and any(w in expected for w in ("a name",)):
        return "compare with a single '=' between two values"
    if value in RESERVED_WORDS and "a name" in expected:
        return f"'{value}' is a word of the language here; choose another name"
    if value in ("and", "or") and "','" in expected:
        return (
            "conditions after 'where' are separated by commas; to combine them with "
            f"'{value}', put them in parentheses: where (a {value} b)"
        )
    if value in ("where", "has", "satisfies", "over"):
        return (
            "a count, sum or quantifier inside a comparison or a list must be put "
            "in parentheses, e.g. (count offences where proven) >= 2"
        )
    return None


def _character_hint(char: str, text: str, exc: UnexpectedCharacters) -> str | None:
    following = text[exc.pos_in_stream : exc.pos_in_stream + 2]
    if following in ("&&", "||"):
        return f"write '{'and' if following == '&&' else 'or'}'"
    if char == "!":
        return "write 'not', or '!=' for 'is not equal to'"
    if char == "'":
        return 'text goes in double quotes: "like this"'
    if char == "$":
        return "amounts of money are written in pounds: £4,000"
    if char == "€":
        return "amounts of money are written in pounds: £4,000"
    if char in "\t\r\f\v":
        return None
    return None


def _too_deep(root: object) -> ast.Expr | None:
    """The outermost expression with something nested deeper than the limit
    inside it, found without recursion (the checker, formatter and evaluators
    recurse over expressions)."""
    stack: list[tuple[object, int, ast.Expr | None]] = [(root, 0, None)]
    while stack:
        node, depth, top = stack.pop()
        if isinstance(node, tuple | list):
            stack.extend((item, depth, top) for item in node)
            continue
        if isinstance(node, ast.Expr):
            depth += 1
            top = top or node
            if depth > MAX_NESTING:
                return top
        for name in _node_fields(type(node)):
            value = getattr(node, name)
            if value is not None and not isinstance(value, _LEAVES):
                stack.append((value, depth, top))
    return None


#: Field values that hold no node.
_LEAVES = (str, int, Decimal, dt.date, ast.Duration, ast.Span)


@functools.cache
def _node_fields(kind: type) -> tuple[str, ...]:
    """The fields of an AST class that may hold nodes (none for other values)."""
    if not attrs.has(kind):
        return ()
    return tuple(f.name for f in attrs.fields(kind) if f.name not in ("span", "node_id"))
