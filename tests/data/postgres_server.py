"""A real PostgreSQL server for the database tests, started in a temporary folder
on a free port of 127.0.0.1 and stopped afterwards.

It uses Debian's PostgreSQL (`initdb`, `pg_ctl`, `psql`), which `.ci/run`
installs when it is missing. PostgreSQL refuses to run as root, so under root
the server runs as the `postgres` user that Debian's package creates. The
server asks for a password (SCRAM), so that the tests can show that a
password given to tfrules never appears in anything it prints.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import polars as pl

USER = "tfrules"
PASSWORD = "s3cret-Pa55word-x9"
DATABASE = "council"


class Unavailable(Exception):
    """PostgreSQL's programs are not on this machine (and cannot be installed)."""


@attrs.frozen
class Server:
    port: int
    folder: Path
    bin: Path
    run_as: tuple[str, ...]

    @property
    def address(self) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def psql(self, command: str, stdin: bytes | None = None) -> None:
        env = {**os.environ, "PGPASSWORD": PASSWORD}
        subprocess.run(
            [
                str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER,
                "-d", DATABASE, "-v", "ON_ERROR_STOP=1", "-q", "-c", command,
            ],
            input=stdin,
            env=env,
            check=True,
            capture_output=True,
        )  # fmt: skip

    def load(self, table: str, frame: pl.DataFrame, types: dict[str, str]) -> None:
        """Create `table` with the given SQL column types and copy `frame` into it."""
        columns = ", ".join(f'"{name}" {types[name]}' for name in frame.columns)
        self.psql(f'DROP TABLE IF EXISTS "{table}"; CREATE TABLE "{table}" ({columns})')
        data = frame.write_csv().encode("utf-8")
        self.psql(f'\\copy "{table}" FROM STDIN WITH (FORMAT csv, HEADER true)', stdin=data)


def _binaries() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    if versions:
        return Path(versions[-1]).parent
    raise Unavailable(
        "PostgreSQL's initdb and pg_ctl are not installed (Debian: apt-get install postgresql; "
        ".ci/run installs them)"
    )


def _version(path: str) -> int:
    part = Path(path).parents[1].name
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start() -> Iterator[Server]:
    """Start a server (a generator: the code after `yield` stops it)."""
    bin_dir = _binaries()
    run_as: tuple[str, ...] = ()
    folder = Path(tempfile.mkdtemp(prefix="tfrules-pg-"))
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise Unavailable("running as root without runuser to start PostgreSQL as postgres")
        try:
            shutil.chown(folder, user="postgres")
        except LookupError as error:
            raise Unavailable("running as root, and there is no postgres user") from error
        run_as = ("runuser", "-u", "postgres", "--")
    password_file = folder / "password"
    password_file.write_text(PASSWORD + "\n")
    if run_as:
        shutil.chown(password_file, user="postgres")
    port = _free_port()
    data = folder / "data"
    log = folder / "server.log"

    def run(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, cwd=folder)

    try:
        run(
            str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "-A", "scram-sha-256",
            f"--pwfile={password_file}", "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        server = Server(port, folder, bin_dir, run_as)
        env = {**os.environ, "PGPASSWORD": PASSWORD}
        subprocess.run(
            [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE],
            env=env,
            check=True,
            capture_output=True,
        )
        yield server
    finally:
        if data.exists():
            subprocess.run(
                [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                capture_output=True,
                cwd=folder,
            )
        shutil.rmtree(folder, ignore_errors=True)
