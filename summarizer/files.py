"""Files the package writes: the one atomic writer, and where the caches live.

Everything written (the brief, tiktoken's files, cached model answers) goes through
`write_atomically`, so a reader or a crash never sees half a file and a failed write never clobbers
a good one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["CACHE_DIR_VARIABLE", "cache_root", "check_output", "write_atomically", "write_output"]

# The environment variable that moves every cache (vectors, tokenizer files, model answers).
CACHE_DIR_VARIABLE = "SUMMARIZER_CACHE_DIR"


def cache_root() -> Path:
    """`$SUMMARIZER_CACHE_DIR`, else `$XDG_CACHE_HOME/summarizer`, else `~/.cache/summarizer`."""
    override = os.environ.get(CACHE_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base).expanduser() / "summarizer"


def write_atomically(path: str | os.PathLike[str], data: str | bytes, *, make_parents: bool = False) -> None:
    """Write `data` (text as UTF-8) to `path` through a temp file in the same folder and a rename.

    Raises OSError; the temp file is removed whatever goes wrong, interrupts included. An existing
    file keeps its permissions; a new one gets the usual ones (0666 less the umask), not mkstemp's
    private 0600.
    """
    target = Path(path)
    folder = target.parent
    if make_parents:
        folder.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    # Same folder as the target, so os.replace is a rename on one file system (atomic).
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temp_name, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def check_output(path: str | os.PathLike[str]) -> None:
    """Raise `OutputError` when the output file cannot be written: checked before the work starts,
    and again when writing."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: folder {folder} does not exist; create it first")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder; give a file name such as brief.md")
    # By its mode, not os.access: root may write anything, but a file marked read-only is one its
    # owner means to keep, and replacing it by a rename would ignore that.
    if target.exists() and not target.stat().st_mode & 0o222:
        raise OutputError(f"cannot write {target}: it is read-only; make it writable (chmod u+w) or choose "
                          "another file")


def write_output(path: str | os.PathLike[str], text: str) -> None:
    """Write the brief (or any output the user asked for) atomically; `OutputError` says why not."""
    target = Path(path)
    check_output(target)
    try:
        write_atomically(target, text)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc


def _umask() -> int:
    """The process umask (reading it requires setting it; restore at once)."""
    current = os.umask(0)
    os.umask(current)
    return current
