"""`python -m bench.serve SCRIPT [streamlit options]`: `streamlit run` with a timer on each script run.

The browser benchmark starts both servers (the app and the reference page) through this launcher, so that the
server's own share of a page load is known: each run of the page script appends one JSON line
{"t": wall-clock start, "ms": duration} to the file named by BENCH_EXEC_LOG. Nothing else changes.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any


def install_timer(path: str) -> None:
    """Wrap Streamlit's exec of the page script with a timer that appends to path."""
    from streamlit.runtime.scriptrunner import script_runner

    original: Callable[..., Any] = script_runner.exec_func_with_error_handling
    lock = threading.Lock()

    def timed(func: Callable[[], Any], ctx: Any) -> Any:
        wall, start = time.time(), time.perf_counter()
        try:
            return original(func, ctx)
        finally:
            line = json.dumps({"t": wall, "ms": (time.perf_counter() - start) * 1000})
            with lock, open(path, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    script_runner.exec_func_with_error_handling = timed  # type: ignore[assignment]


def main() -> None:
    path = os.environ.get("BENCH_EXEC_LOG")
    if path:
        install_timer(path)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
