"""The rules of a ruleset as a graph: the order to type them in, and the circles.

Everything here walks the graph with explicit stacks, never by recursion: a
ruleset may chain thousands of rules (each using the next), and Python's
stack must not decide whether it can be checked.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from tfrules.syntax import ast
from tfrules.syntax.walk import walk

Edges = Mapping[str, Sequence[tuple[str, ast.Span]]]
#: One circle: the rule it starts from, then each step as (rule, where it is used).
Circle = tuple[str, tuple[tuple[str, ast.Span], ...]]


def references(body: ast.Expr | None, rules: Collection[str]) -> list[str]:
    """The rules a rule's body may use, read from its names alone (a name can
    still turn out to be a column: the checker decides), in order, once each."""
    if body is None:
        return []
    found: dict[str, None] = {}
    for node in walk(body):
        if isinstance(node, ast.Name) and node.name in rules:
            found[node.name] = None
        elif isinstance(node, ast.Collection) and node.qualifier in rules:
            found[node.qualifier] = None
    return list(found)


def dependencies_first(uses: Mapping[str, Sequence[str]], roots: Iterable[str]) -> list[str]:
    """Every rule reachable from `roots`, each after the rules it uses (but
    for rules in a circle, which have no such order): the order in which
    typing a rule never needs a rule not yet typed."""
    order: list[str] = []
    done: set[str] = set()
    for root in roots:
        if root in done:
            continue
        done.add(root)
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(uses.get(root, ())))]
        while stack:
            node, pending = stack[-1]
            step = next((n for n in pending if n not in done), None)
            if step is None:
                stack.pop()
                order.append(node)
                continue
            done.add(step)
            stack.append((step, iter(uses.get(step, ()))))
    return order


def in_circles(edges: Edges) -> dict[str, int]:
    """The rules that lie on some circle, each with the number of its strongly
    connected component (Tarjan's algorithm, with an explicit stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    count = 0
    for root in list(edges):
        if root in index:
            continue
        work: list[tuple[str, Iterator[tuple[str, ast.Span]]]] = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            advanced = False
            for target, _ in pending:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, ()))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                looped = any(t == node for t, _ in edges.get(node, ()))
                if len(members) > 1 or looped:
                    for member in members:
                        component[member] = count
                    count += 1
    return component


def circles(edges: Edges, starts: Sequence[str]) -> list[Circle]:
    """Circles to report, found from each of `starts` in turn: the first
    circle back to a start (searching depth first, in the order each rule
    uses others) whose rules are in no circle reported before, so a rule is
    named in one circle only."""
    component = in_circles(edges)
    reported: set[str] = set()
    found: list[Circle] = []
    for start in starts:
        if start not in component or start in reported:
            continue
        circle = _circle_from(start, edges, component, reported)
        if circle is not None:
            reported.add(start)
            reported.update(name for name, _ in circle[1])
            found.append(circle)
    return found


def _circle_from(
    start: str, edges: Edges, component: Mapping[str, int], reported: set[str]
) -> Circle | None:
    mine = component[start]
    seen: set[str] = set()
    path: list[tuple[str, ast.Span]] = []
    work: list[Iterator[tuple[str, ast.Span]]] = [iter(edges.get(start, ()))]
    while work:
        step = next(work[-1], None)
        if step is None:
            work.pop()
            if path:
                path.pop()
            continue
        target, span = step
        if target == start:
            members = {name for name, _ in path}
            if not members & reported:
                return start, (*path, (start, span))
            continue
        if target in seen or component.get(target) != mine:
            continue
        seen.add(target)
        path.append((target, span))
        work.append(iter(edges.get(target, ())))
    return None
