"""The one writer lock: every command or page that writes datasets/ or the database holds it.

An advisory lock (flock) on a file beside datasets/, so processes (CLI, servers, scheduled jobs) take turns; a
lock per path inside this process, so threads of one server take turns too. It is re-entrant in a thread, so an
import that rebuilds the database after its swap keeps the lock from the first read to the last write.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

WAIT_S = 120.0  # how long a writer waits for another to finish before giving up
_POLL_S = 0.05


class LockBusy(Exception):
    """Another writer held the lock for longer than this one was willing to wait."""


class _Held:
    """This process's hold on one lock file: a thread lock, the file and how deep the holding thread is in it."""

    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.fd: int | None = None
        self.depth = 0


_HELD: dict[Path, _Held] = {}
_HELD_GUARD = threading.Lock()


def lock_path(datasets: Path) -> Path:
    """The lock file of a datasets folder: beside it, so it survives the folder being swapped."""
    folder = datasets.resolve() if datasets.exists() else datasets.absolute()
    return folder.parent / f".{folder.name}.lock"


def _flock(fd: int, deadline: float) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: one process serves; threads are still serialised
        return True
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL_S)


@contextlib.contextmanager
def writer_lock(datasets: Path, wait: float = WAIT_S) -> Iterator[None]:
    """Hold the writer lock of datasets for the block; LockBusy when another writer kept it longer than wait s."""
    path = lock_path(datasets)
    with _HELD_GUARD:
        held = _HELD.setdefault(path, _Held())
    deadline = time.monotonic() + wait
    if not held.thread_lock.acquire(timeout=max(wait, 0.0)):
        raise LockBusy(_busy(path))
    try:
        if held.depth == 0:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _flock(fd, deadline):
                os.close(fd)
                raise LockBusy(_busy(path))
            held.fd = fd
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.fd is not None:
                os.close(held.fd)  # closing releases the flock
                held.fd = None
    finally:
        held.thread_lock.release()


def _busy(path: Path) -> str:
    return (f"다른 작업(가져오기·빌드)이 데이터를 쓰고 있습니다. 끝난 뒤 다시 실행하세요 "
            f"(another import or build holds {path.name}; try again when it is done).")
