"""The shared model every stage reads: language types, the data schema, and a
checked ruleset with its annotations. The checker builds it; the compiler,
the interpreter, data loading and reports read it."""
