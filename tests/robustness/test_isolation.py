"""One file that crashes the checker is one error line for that file; the
other files' findings are still reported."""

from __future__ import annotations

from pathlib import Path

from asynclint import engine
from asynclint.batch import check_paths
from asynclint.config import Settings

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


def test_a_crash_in_one_file_is_an_error_for_it_alone(tmp_path: Path, monkeypatch) -> None:
    for name in ("a.py", "crash.py", "z.py"):
        (tmp_path / name).write_text(BLOCKING)
    positions = engine.positions_for

    def crash_on_one_file(module, wanted, text=None, code_of=None, memo=None):
        if "crash" in (text or ""):
            raise KeyError(1397)
        return positions(module, wanted, text, code_of, memo)

    monkeypatch.setattr(engine, "positions_for", crash_on_one_file)
    (tmp_path / "crash.py").write_text(BLOCKING + "# crash\n")
    files = [str(tmp_path / name) for name in ("a.py", "crash.py", "z.py")]
    results = check_paths(files, Settings(config_dir=str(tmp_path)), jobs=1)
    assert [[d.code for d in r.diagnostics] for r in results] == [["AL102"], [], ["AL102"]]
    assert results[1].errors == [f"{files[1]}: internal error: KeyError: 1397"]
    assert results[0].errors == results[2].errors == []
