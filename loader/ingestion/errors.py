"""What stops a file's load, said for a person: an error from DuckDB, Arrow or the system
(out of memory, disk full, a file that cannot be read) becomes a LoaderError that names the
file and says what was committed (the CLI prints it and exits 2), never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from loader.warehouse import LoaderError, memory_limit

NOTHING_COMMITTED = "nothing was committed for this file"


def _expected(exc: BaseException) -> bool:
    """Errors a load can meet on real input and machines, as opposed to bugs."""
    arrow = type(exc).__module__.startswith("pyarrow")
    return arrow or isinstance(exc, duckdb.Error | MemoryError | OSError | UnicodeError)


def describe(exc: BaseException) -> str:
    """The error in a sentence, with what to do about a resource running out."""
    # (DuckDB's advice to run SET commands is for its own shell, not for a loader user)
    text = " ".join(str(exc).split()).split(" Possible solutions:")[0] or type(exc).__name__
    if isinstance(exc, duckdb.OutOfMemoryException | MemoryError):
        return (
            f"out of memory ({text}); raise ECHO_ROOTS_MEMORY_LIMIT (now {memory_limit()}) "
            "or split the file"
        )
    if "straddling" in text:  # pyarrow's CSV reader: a record longer than its block
        return f"a record longer than the CSV reader's 64 MB block ({text})"
    if "No space left on device" in text or "disk" in text.lower() and "full" in text.lower():
        return f"out of disk space ({text}); free space beside the warehouse and its temp folder"
    return f"{type(exc).__name__}: {text}"


def rollback(con) -> None:
    """Roll back the open transaction, if there is one."""
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass  # none was open


@contextmanager
def file_errors(con, label: str) -> Iterator[None]:
    """Inside: one file's load. A LoaderError or an expected error rolls back what is open;
    an expected error is raised again as a LoaderError naming `label`."""
    try:
        yield
    except LoaderError:
        rollback(con)
        raise
    except Exception as exc:
        if not _expected(exc):
            raise
        rollback(con)
        raise LoaderError(f"{label}: {describe(exc)}; {NOTHING_COMMITTED}") from exc
