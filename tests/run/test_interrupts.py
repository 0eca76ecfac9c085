"""Interrupting a real `tfrules eval` process: SIGTERM or SIGINT, during
start-up or while the results are being written (in slices), leaves no
temporary folder and no output, says "interrupted: nothing written" and
exits 143 or 130, never with a Python traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import AS_OF, synth_tables, write_tables

HOUSEHOLDS = 1_000


def _console_script() -> str:
    script = Path(sys.executable).with_name("tfrules")
    assert script.exists(), "the tfrules console script is installed beside Python"
    return str(script)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return write_tables(synth_tables(HOUSEHOLDS, seed=11), tmp_path_factory.mktemp("sig_data"))


def _start(data: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    command = [_console_script(), "eval", "national.phase1", "--data", str(data),
               "--as-of", AS_OF, "--out", str(out), "-q", *extra]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "TFRULES_DEBUG"}
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _handlers_installed(process: subprocess.Popen[str]) -> bool:
    """Whether the process catches SIGTERM yet (Linux: /proc/PID/status)."""
    try:
        with open(f"/proc/{process.pid}/status") as status:
            caught = next(line for line in status if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return False
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


def _wait_until(test, process: subprocess.Popen[str], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        if process.poll() is not None:
            pytest.fail(f"the run ended before {what}: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {what} within {timeout} s")
        time.sleep(0.005)


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("the interrupted run did not end")
    return process.returncode, stderr


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_an_interrupt_while_writing_slices_leaves_nothing(data_dir, tmp_path, signum, code):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    process = _start(data_dir, out_dir / "r.parquet", "--slices", "40")
    _wait_until(
        lambda: any(p.name.endswith(".part") for p in out_dir.iterdir()),
        process,
        "temporary folder",
    )
    time.sleep(0.3)  # some slices written into it
    process.send_signal(signum)
    returncode, stderr = _finish(process)
    assert returncode == code, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted: nothing written"
    assert "Traceback" not in stderr
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupt_during_start_up(data_dir, tmp_path, signum, code):
    """Sent as soon as the process handles signals: it is still importing."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to see when the process handles signals")
    process = _start(data_dir, tmp_path / "r.parquet")
    _wait_until(lambda: _handlers_installed(process), process, "signal handlers")
    process.send_signal(signum)
    returncode, stderr = _finish(process)
    assert returncode == code, stderr
    assert stderr.strip() == "interrupted: nothing written"
    assert list(tmp_path.iterdir()) == []


def test_a_background_run_keeps_ignoring_sigint(data_dir, tmp_path):
    """A job started with SIGINT ignored (as a shell's background jobs are)
    is not stopped by it: only SIGTERM is handled."""
    out = tmp_path / "r.parquet"
    command = [_console_script(), "eval", "national.phase1", "--data", str(data_dir),
               "--as-of", AS_OF, "--out", str(out), "-q"]  # fmt: skip

    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, preexec_fn=ignore_sigint)
    if Path("/proc/self/status").exists():
        _wait_until(lambda: _handlers_installed(process), process, "signal handlers")
    process.send_signal(signal.SIGINT)
    returncode, stderr = _finish(process)
    assert returncode == 0, stderr
    assert out.is_file()
