"""The user's own key, kept outside every project, that signs what docgen leaves for its next run:
the cache and a run's journal beside the output folder. What a clone, a restored CI cache or
another user left carries no valid signature, so it is never taken for docgen's own: a cache
entry that does not verify is a miss, a journal that does not verify is never acted on.

The key is 32 random bytes in `docgen/key` under the user's configuration folder
(`$XDG_CONFIG_HOME`, else `~/.config`; `%APPDATA%` on Windows, `~/Library/Application Support`
on macOS), made on first use, readable by its owner only. Where it cannot be read or made,
docgen runs without a cache.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import stat
import sys
from pathlib import Path

_SIZE = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
MAC_SIZE = hashlib.sha256().digest_size


def key_folder() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "docgen"
    if sys.platform == "darwin" and not os.environ.get("XDG_CONFIG_HOME"):
        return Path.home() / "Library" / "Application Support" / "docgen"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "docgen"


def _own(info: os.stat_result) -> bool:
    """A regular file of this user's that nobody else may read or write (POSIX)."""
    if not stat.S_ISREG(info.st_mode) or info.st_size != _SIZE:
        return False
    if hasattr(os, "getuid"):
        return info.st_uid == os.getuid() and not info.st_mode & 0o077
    return True


def _read(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY)
    except OSError:
        return None
    try:
        if not _own(os.fstat(fd)):
            return None
        data = os.read(fd, _SIZE + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == _SIZE else None


@functools.cache
def _key(folder: str) -> bytes | None:
    path = Path(folder) / "key"
    found = _read(path)
    if found is not None or os.path.lexists(path):
        return found
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)
    except FileExistsError:
        return _read(path)  # another docgen made it first
    except OSError:
        return None
    try:
        os.write(fd, os.urandom(_SIZE))
    finally:
        os.close(fd)
    return _read(path)


def key() -> bytes | None:
    """This user's key, made if there is none; None where it cannot be read or made, or the file
    there is not one this user alone can read."""
    return _key(os.fspath(key_folder()))


def signer(purpose: str) -> hmac.HMAC | None:
    """An HMAC-SHA256 for one purpose (what is signed, and under which name), to feed the data."""
    found = key()
    if found is None:
        return None
    return hmac.new(found, len(purpose).to_bytes(4, "little") + purpose.encode("utf-8", "surrogatepass"), hashlib.sha256)


def sign(purpose: str, *parts: bytes) -> bytes | None:
    mac = signer(purpose)
    if mac is None:
        return None
    for part in parts:
        mac.update(part)
    return mac.digest()


def verify(purpose: str, mac: bytes, *parts: bytes) -> bool:
    expected = sign(purpose, *parts)
    return expected is not None and hmac.compare_digest(expected, mac)
