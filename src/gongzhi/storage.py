"""Content-addressed file storage: uploads are kept as data under their SHA-256, never executed.

``put`` streams a file into ``<data_dir>/blobs/ab/abcdef…`` while hashing and counting it, and refuses
it (nothing kept) when it grows past the limit; identical files are stored once.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from gongzhi.config import Settings
from gongzhi.errors import NotFound, PayloadTooLarge
from gongzhi.i18n import N_

CHUNK = 1024 * 1024
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _root(settings: Settings) -> Path:
    root = settings.instance_path("blobs")
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def path_of(settings: Settings, sha256: str) -> Path:
    """Where the blob with this hash lives (it may not exist)."""
    if not SHA256.match(sha256):
        raise NotFound(N_("No stored file {sha256}."), sha256=sha256[:80])
    return _root(settings) / sha256[:2] / sha256


def put(settings: Settings, chunks: Iterable[bytes], *, max_bytes: int) -> tuple[str, int]:
    """Store a stream of bytes; returns (sha256, size). PayloadTooLarge past ``max_bytes`` (nothing kept)."""
    root = _root(settings)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as tmp:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(N_("The file is larger than {limit} bytes."), limit=max_bytes)
                digest.update(chunk)
                tmp.write(chunk)
        sha = digest.hexdigest()
        target = root / sha[:2] / sha
        target.parent.mkdir(mode=0o700, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, target)
        return sha, size
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def put_file(settings: Settings, stream: BinaryIO, *, max_bytes: int) -> tuple[str, int]:
    """Store an open binary file (read in chunks)."""
    return put(settings, iter(lambda: stream.read(CHUNK), b""), max_bytes=max_bytes)


def open_blob(settings: Settings, sha256: str) -> BinaryIO:
    """Open a stored blob for reading; NotFound if it is not there."""
    path = path_of(settings, sha256)
    if not path.exists():
        raise NotFound(N_("No stored file {sha256}."), sha256=sha256)
    return path.open("rb")


def head(settings: Settings, sha256: str, n: int = 8192) -> bytes:
    """The first ``n`` bytes of a stored blob (to check its type by content)."""
    with open_blob(settings, sha256) as f:
        return f.read(n)
