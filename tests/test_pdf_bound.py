"""Briefing PDFs asked for all at once: at most briefing.PDF_SLOTS Chromium process groups live per server process.

Six visitors pressing "PDF" together once started six Chromium runs (61 processes on two cores). Here six threads
call briefing_pdf at the same moment with Debian's real Chromium; subprocess.Popen is wrapped (not replaced) to
count, at every launch, the process groups of the launches that still have a live process in /proc. Without
Chromium the tests skip, except in CI (YDP_CI=1), where a skip is a failure (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.apptest_pages import open_page
from ydp_data import briefing

HAS_CHROMIUM = briefing.chromium_available()
NO_CHROMIUM = f"Debian's Chromium is not installed at {briefing.CHROMIUM} (apt-get install chromium)"
HTML = "<!DOCTYPE html><html lang='ko'><meta charset='utf-8'><body><h1>회의 브리핑</h1><p>7,113,947천원</p></body></html>"
REQUESTS = 6
BUSY = "다른 PDF를 만드는 중입니다. 잠시 뒤 다시 누르세요"


def live_groups(groups: set[int]) -> set[int]:
    """Those of the process groups that still hold a process that is not dead (zombies and the dying left out)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, ...
        state, pgrp = fields[0], int(fields[2])
        if pgrp in groups and state not in ("Z", "X", "x"):
            found.add(pgrp)
    return found


class Launches:
    """subprocess.Popen as it is, plus a count at each launch of the launched groups alive at that moment."""

    def __init__(self) -> None:
        self.groups: set[int] = set()
        self.peak = 0
        self.lock = threading.Lock()
        self.started = threading.Condition(self.lock)

    def popen(self, real: type[subprocess.Popen[Any]]) -> Callable[..., subprocess.Popen[Any]]:
        """A Popen that records its process (its own group: briefing_pdf starts a new session) and the peak."""
        def launch(*args: Any, **kwargs: Any) -> subprocess.Popen[Any]:
            process = real(*args, **kwargs)
            with self.lock:
                self.groups.add(process.pid)
                self.peak = max(self.peak, len(live_groups(self.groups)))
                self.started.notify_all()
            return process
        return launch


def _at_once(count: int, call: Callable[[], bytes]) -> list[bytes | BaseException]:
    """call() in `count` threads released together; each result or the exception it raised."""
    gate = threading.Barrier(count)
    results: list[bytes | BaseException] = [b""] * count

    def run(i: int) -> None:
        gate.wait()
        try:
            results[i] = call()
        except BaseException as exc:  # the test looks at what each request got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.skipif(not HAS_CHROMIUM, reason=NO_CHROMIUM)
def test_six_pdf_requests_at_once_run_at_most_the_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Six simultaneous requests: never more than PDF_SLOTS live Chromium groups; each a PDF or the busy notice."""
    launches = Launches()
    monkeypatch.setattr(subprocess, "Popen", launches.popen(subprocess.Popen))
    results = _at_once(REQUESTS, lambda: briefing.briefing_pdf(HTML))
    assert 1 <= launches.peak <= briefing.PDF_SLOTS, launches.peak
    pdfs = [r for r in results if isinstance(r, bytes)]
    busy = [r for r in results if isinstance(r, briefing.PdfBusy)]
    assert len(pdfs) + len(busy) == REQUESTS, [r for r in results if not isinstance(r, bytes | briefing.PdfBusy)]
    assert pdfs and all(p.startswith(b"%PDF") for p in pdfs)
    assert all(BUSY in str(b) for b in busy)
    assert not live_groups(launches.groups), "a Chromium process outlived its request"


def _script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


@contextmanager
def slots_held(tmp_path: Path, launches: Launches) -> Iterator[list[BaseException]]:
    """Every PDF slot taken by a print that hangs (a stuck Chromium); on leaving, their groups are killed (as an
    operator would) and what those requests raised is in the yielded list."""
    hanging = _script(tmp_path / "hanging", "#!/bin/sh\nsleep 600 >/dev/null 2>&1 &\nwait\n")
    raised: list[BaseException] = []

    def hold() -> None:
        try:
            briefing.briefing_pdf(HTML, chromium=str(hanging), timeout=600)
        except briefing.PdfError as exc:
            raised.append(exc)

    threads = [threading.Thread(target=hold) for _ in range(briefing.PDF_SLOTS)]
    for t in threads:
        t.start()
    try:
        with launches.started:
            launches.started.wait_for(lambda: len(launches.groups) == briefing.PDF_SLOTS)
        yield raised
    finally:
        for group in list(launches.groups):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        for t in threads:
            t.join()


def test_a_request_without_a_free_slot_is_told_to_press_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every slot held by a print that hangs: one more request gets PdfBusy at once; freed slots take requests again."""
    failing = _script(tmp_path / "failing", "#!/bin/sh\necho 'cannot print' >&2\nexit 3\n")
    launches = Launches()
    monkeypatch.setattr(subprocess, "Popen", launches.popen(subprocess.Popen))
    with slots_held(tmp_path, launches) as holders:
        with pytest.raises(briefing.PdfBusy, match=BUSY):
            briefing.briefing_pdf(HTML, chromium=str(failing), wait=0)
        assert len(launches.groups) == briefing.PDF_SLOTS, "the busy request started no process"
    assert len(holders) == briefing.PDF_SLOTS and not any(isinstance(h, briefing.PdfBusy) for h in holders)
    with pytest.raises(briefing.PdfError, match=r"종료 코드 3.*cannot print"):  # a slot is free again: it runs
        briefing.briefing_pdf(HTML, chromium=str(failing), wait=0)
    assert not live_groups(launches.groups)


@pytest.mark.skipif(not HAS_CHROMIUM, reason=NO_CHROMIUM)
def test_the_page_says_busy_and_offers_the_button_again(db_path: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """On the briefing page a PDF asked for while every slot is taken: the notice and a button; later it is made."""
    monkeypatch.setattr(briefing, "PDF_WAIT_S", 0.0)
    launches = Launches()
    monkeypatch.setattr(subprocess, "Popen", launches.popen(subprocess.Popen))
    at = open_page("pages/8_브리핑_Briefing.py", {"team": "상생기업팀"})  # a view no other test has printed
    with slots_held(tmp_path, launches):
        at.button(key="briefing_pdf_build").click().run(timeout=60)
        assert not at.exception, [e.message for e in at.exception]
        assert any(BUSY in e.value for e in at.error), [e.value for e in at.error]
        assert "briefing_pdf" not in [str(d.key) for d in at.get("download_button")]
    at.button(key="briefing_pdf_retry").click().run(timeout=120)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "briefing_pdf" in [str(d.key) for d in at.get("download_button")]


def test_a_returned_print_leaves_no_process_of_its_run_dying(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that exits leaving heavy stragglers: when briefing_pdf returns (and frees its slot), they are gone, not
    still being torn down (a slot freed early let a third Chromium group live beside two others)."""
    straggler = "b = b'x' * (400 << 20); import time; time.sleep(600)"
    chromium = _script(tmp_path / "straggling", "#!/bin/sh\n"
                       f"for i in 1 2 3; do python3 -c \"{straggler}\" & done\n"
                       "sleep 1\n"
                       'for a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.4" > "${a#--print-to-pdf=}";; esac; done\n')
    launches = Launches()
    monkeypatch.setattr(subprocess, "Popen", launches.popen(subprocess.Popen))
    for _ in range(3):
        assert briefing.briefing_pdf(HTML, chromium=str(chromium)).startswith(b"%PDF")
        assert not live_groups(launches.groups), "a straggler was still dying when the slot was freed"
