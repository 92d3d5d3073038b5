"""Which files a run checks: walking, excludes, .gitignore, explicit paths."""

from __future__ import annotations

import os
from pathlib import Path

from asynclint.config import Configurations, Settings
from asynclint.discovery import discover, project_root


def names(root: Path, paths: list[str], settings: Settings | None = None) -> list[str]:
    found = discover(paths, Configurations.forced(settings or Settings(config_dir=str(root))))
    return sorted(p.resolve().relative_to(root).as_posix() for p in found.files)


def test_walks_py_and_pyi_and_skips_default_excludes(tmp_path: Path) -> None:
    for rel in ["a.py", "b.pyi", "c.txt", ".venv/lib.py", "node_modules/x.py", "build/y.py",
                "pkg/__pycache__/z.py", "pkg/mod.py", "site-packages/s.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    assert names(tmp_path, [str(tmp_path)]) == ["a.py", "b.pyi", "pkg/mod.py"]


def test_gitignore_is_honoured_and_explicit_files_always_checked(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\nsecret_*.py\n")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "g.py").write_text("")
    (tmp_path / "secret_x.py").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("local.py\n")
    (tmp_path / "sub" / "local.py").write_text("")
    (tmp_path / "sub" / "kept.py").write_text("")
    assert names(tmp_path, [str(tmp_path)]) == ["sub/kept.py"]
    assert names(tmp_path, [str(tmp_path / "secret_x.py")]) == ["secret_x.py"]
    no_gitignore = Settings(config_dir=str(tmp_path), respect_gitignore=False)
    assert "generated/g.py" in names(tmp_path, [str(tmp_path)], no_gitignore)


def test_extend_exclude_patterns(tmp_path: Path) -> None:
    for rel in ["src/app.py", "src/migrations/0001.py", "tests/test_x.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("")
    settings = Settings(config_dir=str(tmp_path), extend_exclude=("migrations", "tests/*"))
    assert names(tmp_path, [str(tmp_path)], settings) == ["src/app.py"]


def test_missing_path_is_an_error_and_duplicates_are_checked_once(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("")
    found = discover([str(tmp_path), str(tmp_path / "a.py"), str(tmp_path / "nope")], Configurations.forced(Settings(config_dir=str(tmp_path))))
    assert len(found.files) == 1
    assert found.errors == [f"{tmp_path / 'nope'}: no such file or directory"]


def test_project_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    assert project_root(tmp_path / "src" / "pkg") == tmp_path


def test_an_explicitly_named_directory_is_walked_even_if_excluded(tmp_path: Path) -> None:
    (tmp_path / "fixtures" / "cases").mkdir(parents=True)
    (tmp_path / "fixtures" / "cases" / "x.py").write_text("")
    (tmp_path / "app.py").write_text("")
    settings = Settings(config_dir=str(tmp_path), extend_exclude=("fixtures",))
    assert names(tmp_path, [str(tmp_path)], settings) == ["app.py"]
    assert names(tmp_path, [str(tmp_path / "fixtures" / "cases")], settings) == ["fixtures/cases/x.py"]


def test_only_regular_files_are_checked_in_a_walk(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("")
    os.mkfifo(tmp_path / "pipe.py")  # reading it would wait forever for a writer
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "loop_a.py").symlink_to(tmp_path / "loop_b.py")
    (tmp_path / "loop_b.py").symlink_to(tmp_path / "loop_a.py")
    (tmp_path / "link.py").symlink_to(tmp_path / "a.py")
    (tmp_path / "up").symlink_to(tmp_path, target_is_directory=True)  # a directory loop, not followed
    found = discover([str(tmp_path)], Configurations.forced(Settings(config_dir=str(tmp_path))))
    assert sorted(p.name for p in found.files) == ["a.py", "link.py"]
    assert found.errors == []


def test_a_named_path_that_is_not_a_regular_file_is_an_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    found = discover([str(tmp_path / "pipe.py"), str(tmp_path / "loop.py")], Configurations.forced(Settings(config_dir=str(tmp_path))))
    assert found.files == []
    assert found.errors == [
        f"{tmp_path / 'pipe.py'}: not a regular file (a named pipe)",
        f"{tmp_path / 'loop.py'}: cannot read: too many levels of symbolic links",
    ]


def test_without_markers_the_project_root_is_the_top_of_the_package(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "sub" / "__init__.py").write_text("")
    assert project_root(tmp_path / "pkg" / "sub") == tmp_path
    assert project_root(tmp_path / "pkg") == tmp_path
    (tmp_path / "scripts").mkdir()
    assert project_root(tmp_path / "scripts") == tmp_path / "scripts"  # no package: the folder itself


def test_a_project_without_markers_resolves_its_own_absolute_imports(tmp_path: Path) -> None:
    from asynclint.batch import check_paths

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("async def f():\n    pass\n")
    (tmp_path / "pkg" / "m.py").write_text("from pkg.a import f\n\n\nasync def g():\n    f()\n")
    found = discover([str(tmp_path)], Configurations.forced(Settings(config_dir=str(tmp_path))))
    results = check_paths([str(p) for p in found.files], Settings(config_dir=str(tmp_path)), jobs=1)
    assert [(Path(d.path).name, d.start.line, d.code) for r in results for d in r.diagnostics] == [("m.py", 5, "AL201")]
    assert "async def at pkg/a.py:1" in results[-1].diagnostics[0].message  # named from the project's top
