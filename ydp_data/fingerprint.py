"""What a database was built from: a digest of the dataset files, and a cheap stat stamp to notice changes.

The build stores the digest in the database; every entry point compares it with datasets/ now and rebuilds when
they differ, so a database can never lag behind its datasets unnoticed (an import killed between its swap and its
rebuild, a file edited by hand).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ydp_data.datasets import SPECS

Stamp = tuple[tuple[str, int, int, int], ...]


def fingerprint(datasets: Path) -> str:
    """sha256 over every dataset file's name and bytes (a missing file counts as missing)."""
    digest = hashlib.sha256()
    for spec in SPECS:
        digest.update(spec.filename.encode() + b"\0")
        try:
            data = (datasets / spec.filename).read_bytes()
        except FileNotFoundError:
            digest.update(b"<missing>\0")
            continue
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def stamp(datasets: Path) -> Stamp:
    """(name, inode, size, mtime) of every dataset file: changes whenever a file is written or the folder swapped."""
    out = []
    for spec in SPECS:
        try:
            st = os.stat(datasets / spec.filename)
        except OSError:
            out.append((spec.filename, -1, -1, -1))
            continue
        out.append((spec.filename, st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(out)
