"""The progress line: drawn for large or multi-file loads, silent otherwise."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

from loader.ingestion.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def sources(tmp_path: Path, count: int):
    result = []
    for n in range(count):
        path = tmp_path / f"f{n}.jsonl"
        path.write_text("{}\n")
        result.append(SimpleNamespace(path=path, label=str(path)))
    return result


def test_several_files_on_a_terminal_show_progress(tmp_path):
    stream = Terminal()
    files = sources(tmp_path, 2)
    meter = Progress(files, "items", stream=stream)
    for source in files:
        meter.start(source)
        meter.advance(1500)
    meter.finish()
    shown = stream.getvalue()
    assert "items: file 2/2" in shown and "3,000 rows" in shown
    assert shown.endswith("\n")


def test_one_small_file_or_no_terminal_stays_quiet(tmp_path):
    for stream, count in ((Terminal(), 1), (io.StringIO(), 3)):
        files = sources(tmp_path, count)
        meter = Progress(files, "items", stream=stream)
        meter.start(files[0])
        meter.advance(10)
        meter.finish()
        assert stream.getvalue() == ""
