"""Quantifiers and aggregates: what they range over, seen from where they stand."""

from __future__ import annotations

from tfrules import diagnostics as diag
from tfrules.check import type_rules as R
from tfrules.check.expr_base import ExprCheckerBase
from tfrules.check.scope import Context
from tfrules.check.wording import a_value
from tfrules.model import types as T
from tfrules.model.ruleset import CollectionInfo, RuleRef
from tfrules.model.schema import Level
from tfrules.syntax import ast


class CollectionChecks(ExprCheckerBase):
    # ---------------------------------------------------------------- quantifiers
    def collection_context(self, collection: ast.Collection, ctx: Context) -> Context | None:
        """The context of one element of `collection` seen from `ctx`."""
        persons = self.schema.persons
        if ctx.level is Level.EVENT:
            self._error(
                "E302",
                f"cannot look at {collection.name} from inside a row of {ctx.table.name}",
                collection,
                "move this part into a rule of its own about the household or the member",
            )
            return None
        if collection.is_members:
            if ctx.level is not Level.HOUSEHOLD:
                self._error(
                    "E302",
                    "'members' is about a household, but this is already about one member",
                    collection,
                )
                return None
            self.notes.set_collection(collection, CollectionInfo(persons))
            inner = Context(Level.PERSON, persons, ctx)
            if collection.qualifier is not None:
                self._qualifier(collection, inner)
            return inner
        table = self.schema.table(collection.name)
        if table is None or table.level is not Level.EVENT:
            candidates = [t.name for t in self.schema.event_tables] + ["members"]
            self._error(
                "E104",
                f"there is no event table '{collection.name}'",
                collection,
                diag.did_you_mean(collection.name, candidates)
                or f"the tables are {', '.join(candidates)}",
            )
            return None
        if table.owner == persons.name:
            if ctx.level is Level.HOUSEHOLD:
                self.notes.set_collection(collection, CollectionInfo(table, via_members=True))
                person = Context(Level.PERSON, persons, ctx)
                return Context(Level.EVENT, table, person)
            self.notes.set_collection(collection, CollectionInfo(table))
            return Context(Level.EVENT, table, ctx)
        household = next(c for c in ctx.chain() if c.level is Level.HOUSEHOLD)
        self.notes.set_collection(collection, CollectionInfo(table))
        return Context(Level.EVENT, table, household)

    def _qualifier(self, collection: ast.Collection, inner: Context) -> None:
        # the qualifier is checked as a name of its own, made here and then
        # forgotten: only the collection's qualifier annotation is kept
        name = ast.Name(collection.qualifier or "", span=collection.span)
        found = self.check(name, inner)
        resolution = self.notes.resolution_or_none(name)
        self.notes.forget(name)
        if not R.fits(found, T.BOOL):
            self._error(
                "E202",
                f"'{collection.qualifier} members' needs '{collection.qualifier}' to be a "
                f"criterion about a member, but it is {a_value(found)}",
                collection,
            )
        elif isinstance(resolution, RuleRef):
            self.notes.set_qualifier(collection, collection.qualifier or "")
        elif found.kind is not T.Kind.ERROR:
            self._error(
                "E202",
                f"'{collection.qualifier} members' needs a criterion about a member",
                collection,
            )

    def _Quantified(self, node: ast.Quantified, ctx: Context) -> tuple[T.Type, Level]:
        inner = self.collection_context(node.collection, ctx)
        if inner is None:
            return T.ERROR, ctx.level
        for condition in node.where:
            self.check_bool(condition, inner, "a condition after 'where'")
        if node.has is not None:
            self.check(node.has, inner)
        for condition in node.satisfies:
            self.check_bool(condition, inner, "a condition after 'satisfies'")
        return T.BOOL, ctx.level

    def _Aggregate(self, node: ast.Aggregate, ctx: Context) -> tuple[T.Type, Level]:
        inner = self.collection_context(node.collection, ctx)
        if inner is None:
            return T.ERROR, ctx.level
        for condition in node.where:
            self.check_bool(condition, inner, "a condition after 'where'")
        value_types = [self.check(value, inner) for value in node.values]
        if node.op in ("count", "count distinct"):
            return T.INT, ctx.level
        value = value_types[0]
        if node.op == "sum" and not (
            value.is_numeric or value.kind in (T.Kind.ERROR, T.Kind.DURATION)
        ):
            self._error("E201", f"cannot add up {a_value(value)}", node.values[0])
            return T.ERROR, ctx.level
        if node.op in ("lowest", "highest") and not (
            value.is_numeric or value.kind in (T.Kind.DATE, T.Kind.DURATION, T.Kind.ERROR)
        ):
            self._error("E201", f"{a_value(value)} has no {node.op} value", node.values[0])
            return T.ERROR, ctx.level
        if node.op in ("latest", "earliest"):
            table = inner.table
            if inner.level is not Level.EVENT or not (
                table.date_column or table.span or table.term
            ):
                self._error(
                    "E304",
                    f"'{node.op}' needs rows with a date, and {node.collection.name} has none",
                    node.collection,
                )
        return value, ctx.level

    def _Collection(self, node: ast.Collection, ctx: Context) -> tuple[T.Type, Level]:
        raise AssertionError("collections are checked by their quantifier")  # pragma: no cover
