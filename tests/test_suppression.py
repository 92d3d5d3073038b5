"""`# noqa` handling."""

from __future__ import annotations

from tests.helpers import findings

HEADER = "import time\nasync def f():\n"


def check(line: str) -> list[tuple[int, str]]:
    return findings(HEADER + "    " + line + "\n")


def test_line_noqa_forms() -> None:
    assert check("time.sleep(1)") == [(3, "AL102")]
    assert check("time.sleep(1)  # noqa") == []
    assert check("time.sleep(1)  # noqa: AL102") == []
    assert check("time.sleep(1)  # NOQA:E501,AL102") == []
    assert check("time.sleep(1)  # noqa: AL102 E501") == []
    assert check("time.sleep(1)  # noqa: E501") == [(3, "AL102")]  # other tools' codes are theirs
    assert check("time.sleep(1)  # noqa: AL101") == [(3, "AL102"), (3, "AL002")]  # AL101 suppresses nothing


def test_noqa_inside_a_string_does_not_count() -> None:
    assert check("time.sleep(len('# noqa'))") == [(3, "AL102")]


def test_file_level_noqa() -> None:
    assert findings("# asynclint: noqa\n" + HEADER + "    time.sleep(1)\n") == []
    assert findings("# asynclint: noqa: AL102\n" + HEADER + "    time.sleep(1)\n") == []
    assert findings("# asynclint: noqa: AL101\n" + HEADER + "    time.sleep(1)\n") == [(4, "AL102")]
    # Only on a line of its own.
    assert findings(HEADER + "    time.sleep(1)\nx = 1  # asynclint: noqa\n") == [(3, "AL102")]
