"""The files of a data location, as the driver sees them: listed, their first
bytes read (for CSV headings), a workbook read whole.

Spark reads the rows; the driver only needs to know which files there are
and how each begins. It asks the file system Spark itself uses (Hadoop's,
through Spark's JVM), so that a path means the same to both: a local folder,
`hdfs://`, `s3a://`, `abfss://` or `dbfs:/` alike. Without a JVM (a Spark
Connect session) only a folder of this machine can be listed.

Listing follows the single-machine inventory (`tfrules.data.inventory`):
every file under the location, as a relative POSIX path, hidden ones left
out; a folder named like a data file (`households.parquet/`, a folder of
Parquet parts) is one entry, not descended into; names starting `_` or `.`
are Spark's and Hadoop's own (`_SUCCESS`) and left out, unless named like a
data file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tfrules.data.csv_files import HEADER_BYTES
from tfrules.model.mapping import FILE_SUFFIXES
from tfrules.run.spark.errors import SparkRunError, spark_words
from tfrules.run.spark.locations import is_local_folder

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _hidden(name: str) -> bool:
    """Hidden, or Spark's and Hadoop's own (`_SUCCESS`, `_temporary`): not data."""
    return name.startswith(".") or (name.startswith("_") and not _whole(name))


def _whole(name: str) -> bool:
    """A folder read as one data file (Spark's folder of Parquet parts)."""
    return name.lower().endswith(FILE_SUFFIXES)


class LocalFiles:
    """A folder of this machine, read by Python (for a Spark Connect session)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def list(self) -> list[str]:
        found: list[str] = []
        for root, dirs, files in os.walk(self.folder):
            here = Path(root)
            kept = sorted(d for d in dirs if not _hidden(d))
            found += [(here / d).relative_to(self.folder).as_posix() for d in kept if _whole(d)]
            dirs[:] = [d for d in kept if not _whole(d)]
            found += [
                (here / f).relative_to(self.folder).as_posix() for f in files if not _hidden(f)
            ]
        return sorted(found)

    def exists(self, name: str) -> bool:
        return (self.folder / name).exists()

    def head(self, name: str, size: int = HEADER_BYTES) -> bytes:
        with (self.folder / name).open("rb") as source:
            return source.read(size)

    def read(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()


class HadoopFiles:
    """A location read through the Hadoop file system of Spark's JVM."""

    def __init__(self, spark: SparkSession, location: str) -> None:
        self.jvm: Any = spark._jvm  # type: ignore[attr-defined]
        self.location = location
        try:
            self.conf = spark._jsc.hadoopConfiguration()  # type: ignore[attr-defined]
            self.root = self.jvm.org.apache.hadoop.fs.Path(location)
            self.fs = self.root.getFileSystem(self.conf)
        except Exception as error:
            raise SparkRunError(f"cannot read {location}: {spark_words(error)}") from error

    def _path(self, name: str) -> Any:
        return self.jvm.org.apache.hadoop.fs.Path(self.root, name)

    def list(self) -> list[str]:
        found: list[str] = []
        pending = [""]
        while pending:
            prefix = pending.pop()
            folder = self._path(prefix) if prefix else self.root
            try:
                statuses = self.fs.listStatus(folder)
            except Exception:  # not a folder, or gone: nothing under it
                continue
            for status in statuses:
                name = status.getPath().getName()
                if _hidden(name):
                    continue
                relative = f"{prefix}/{name}" if prefix else name
                if status.isDirectory() and not _whole(name):
                    pending.append(relative)
                else:
                    found.append(relative)
        return sorted(found)

    def exists(self, name: str) -> bool:
        try:
            return bool(self.fs.exists(self._path(name)))
        except Exception:
            return False

    def head(self, name: str, size: int = HEADER_BYTES) -> bytes:
        stream = self.fs.open(self._path(name))
        try:
            return bytes(self.jvm.org.apache.commons.io.IOUtils.toByteArray(stream, size)) or b""
        except Exception:  # a file shorter than `size`: read what there is
            stream.close()
            stream = self.fs.open(self._path(name))
            return bytes(self.jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()

    def read(self, name: str) -> bytes:
        stream = self.fs.open(self._path(name))
        try:
            return bytes(self.jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()


Files = LocalFiles | HadoopFiles


def files_of(spark: SparkSession, location: str) -> Files:
    """The files at `location`, through Spark's own file system where there is one."""
    if getattr(spark, "_jvm", None) is not None:
        return HadoopFiles(spark, location)
    local = location.removeprefix("file://").removeprefix("file:")
    if not is_local_folder(location):
        raise SparkRunError(
            f"cannot list the files of {location} from a Spark Connect session: give the "
            "tables in canonical form (Parquet, or tables of the Spark catalog) without a mapping"
        )
    return LocalFiles(Path(local))
