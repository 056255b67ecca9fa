"""The plugin's file handling: safe atomic writes, strict JSON reading, and locked updates.

Everything the plugin writes (the JSON report, the baseline, other reports) goes through
:func:`write_atomic`; everything it reads goes through :func:`read_json`. The rules:

- A path is resolved first, so a symlink is written *through* (its target gets the new
  content, the link stays a link) and ``d/../base.json`` names the same file as
  ``base.json``.
- Only regular files are read or replaced: a FIFO, a device, a socket or a directory
  is refused with :class:`UnsafePathError` (a FIFO would block a reader, and replacing
  ``/dev/null`` as root would remove the device node).
- A write goes to a temporary file beside the target and is renamed over it: readers
  see the old file or the whole new one.
- JSON is read strictly: duplicate keys, ``NaN``/``Infinity`` and nesting too deep for
  the parser are refused with :class:`JSONFileError` instead of being guessed at or
  crashing.
- :func:`locked` serialises read-merge-write updates of one file between processes
  (parallel CI jobs updating one baseline).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

try:  # POSIX; elsewhere updates are not locked (see ``locked``)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "JSONFileError",
    "UnsafePathError",
    "check_output_paths",
    "check_regular",
    "locked",
    "printable",
    "read_json",
    "same_file",
    "write_atomic",
]


class UnsafePathError(ValueError):
    """A path that names something other than a regular file (a FIFO, a device, ...)."""


class JSONFileError(ValueError):
    """A file that is not strict JSON (invalid, duplicate keys, NaN, nested too deeply)."""


def printable(text: str) -> str:
    """``text`` with control and other non-printable characters escaped, repr-style.

    User text (node ids, namespaces, paths) goes through this before reaching a
    terminal, so an escape sequence in a file name cannot rewrite the screen.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _resolved(path: Path) -> Path:
    """``path`` with every symlink and ``..`` resolved (a dangling link gives its target)."""
    return Path(os.path.realpath(path))


def check_regular(path: Path) -> None:
    """Raise :class:`UnsafePathError` if ``path`` (through links) exists and is not a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # missing (it will be created) or unreachable (the write will say why)
        return
    kind = _kind(mode)
    if kind is not None:
        shown = printable(str(path))
        target = _resolved(path)
        if target != Path(os.path.abspath(path)):
            shown += f" (-> {printable(str(target))})"
        raise UnsafePathError(f"{shown} is {kind}, not a regular file; it is never replaced")


def same_file(first: Path, second: Path) -> bool:
    """True when the two paths name one file, however they are spelled (links, ``..``)."""
    with contextlib.suppress(OSError):
        return os.path.samefile(first, second)  # both exist: hard links count too
    return _resolved(first) == _resolved(second)


def check_output_paths(baseline: Path | None, outputs: Sequence[tuple[str, Path | None]]) -> None:
    """Refuse output files that name the baseline, or each other, however spelled.

    ``outputs`` pairs a description of each option (``"--flop-budget-json /
    flop_budget_json"``) with its path (``None`` when unset). Raises ``ValueError``
    naming both options and the file: a report written over the baseline would
    silently become the next run's baseline and hide a regression.
    """
    named = [(what, path) for what, path in outputs if path is not None]
    if baseline is not None:
        named.insert(0, ("the baseline (--flop-budget-baseline / flop_budget_baseline)", baseline))
    for index, (what, path) in enumerate(named):
        for other, other_path in named[:index]:
            if same_file(path, other_path):
                clash = "the baseline" if other_path is baseline else "the other"
                raise ValueError(
                    f"{what} and {other} name the same file {printable(str(path))}: "
                    f"the report would overwrite {clash}"
                )


def _make_directory(directory: Path) -> None:
    """Create ``directory`` and its parents; a file in the way is "Not a directory"."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # mkdir's word for "a component is a file"
        raise NotADirectoryError(
            errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(directory)
        ) from None


def _new_file_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it and a rename.

    A symlink is followed: its target is replaced and the link stays. Readers never
    see a half-written file, and a failure leaves the old file untouched. Missing
    parent directories are created. Raises :class:`UnsafePathError` for a FIFO,
    device, socket or directory, and ``OSError`` when the file cannot be written.
    """
    path = Path(path)
    check_regular(path)
    target = _resolved(path)
    _make_directory(target.parent)
    mode = _new_file_mode(target)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        check_regular(target)  # something may have appeared there meanwhile
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _refuse_constant(name: str) -> Any:
    raise JSONFileError(f"{name} is not a JSON number")


def _no_duplicates(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JSONFileError(f"the key {printable(repr(key))} appears twice in one object")
        result[key] = value
    return result


def read_json(path: Path) -> Any:
    """Read and parse a strict JSON file.

    Raises :class:`UnsafePathError` for something other than a regular file (never
    opened, so a FIFO cannot block), ``OSError``/``UnicodeDecodeError`` when it cannot
    be read, and :class:`JSONFileError` for text that is not strict JSON: invalid,
    duplicate keys, ``NaN``/``Infinity``, or nesting too deep to parse.
    """
    path = Path(path)
    mode = os.stat(path).st_mode  # FileNotFoundError and friends reach the caller
    kind = _kind(mode)
    if kind is not None:
        raise UnsafePathError(f"it is {kind}, not a regular file")
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except RecursionError:
        raise JSONFileError("nested too deeply to be a FLOP file") from None
    except JSONFileError:
        raise
    except ValueError as exc:
        raise JSONFileError(str(exc)) from None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for updating ``path`` (through links) while the block runs.

    The lock is ``flock`` on a sidecar file ``<target>.lock`` next to the target (the
    target itself is replaced by renames, so it cannot carry the lock). The sidecar is
    left in place: removing it would let two processes lock different files. Where
    ``fcntl`` does not exist (Windows) the block runs unlocked.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    target = _resolved(Path(path))
    _make_directory(target.parent)
    lock_path = target.with_name(target.name + ".lock")
    check_regular(lock_path)
    handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
