"""Names of files tfrules looks for in a data folder (a module without
imports, so the command line can name them in its help at start-up)."""

from __future__ import annotations

#: A council's mapping file, read from its data folder when no other is given.
MAPPING_NAME = "mapping.tfr"
