"""The distributions: `python -m build` makes a wheel and an sdist that
`twine check` accepts, and the ways of installing that work before a
release (the sdist, a git URL, and the GitHub Action's install from a
checkout) give a working `asynclint` in a fresh venv. pip uses its configured index for the
dependencies. Slow (fresh venvs): run with `-m packaging`, as CI does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from asynclint import __version__
from tests.helpers import REPO
from tests.test_action import BAD, INSTALL, Runner

pytestmark = pytest.mark.packaging


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def checkout_copy(target: Path) -> Path:
    """The working tree's files that git would keep, so the build sees
    uncommitted work and leaves nothing in the repository."""
    listed = run("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


def check_installed(bin_dir: Path, tmp_path: Path) -> None:
    assert run(bin_dir / "asynclint", "--version").stdout.strip() == f"asynclint, version {__version__}"
    (tmp_path / "app.py").write_text(BAD)
    proc = subprocess.run(
        [bin_dir / "asynclint", "--no-cache", "--output-format", "json", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)
    docs = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Documentation"]
    assert (finding["code"], finding["url"]) == ("AL102", f"{docs}/rules/AL102.md")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return checkout_copy(tmp_path_factory.mktemp("checkout"))


def test_build_twine_check_and_install_the_sdist(source: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--outdir", dist, source)
    [sdist] = dist.glob("*.tar.gz")
    [wheel] = dist.glob("*.whl")
    run(sys.executable, "-m", "twine", "check", "--strict", sdist, wheel)
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "CHANGELOG.md", "docs/rules/AL101.md", "tests/helpers.py", "tests/data/sarif-schema-2.1.0.json"} <= names
    assert any(name.startswith("fixtures/") for name in names)
    with zipfile.ZipFile(wheel) as archive:
        assert f"asynclint-{__version__}.dist-info/licenses/LICENSE" in archive.namelist()

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    run(environment / "bin" / "python", "-m", "pip", "install", "--quiet", sdist)
    check_installed(environment / "bin", tmp_path)

    # The README's git URL form, from a repository on disk (its dependencies are there already).
    repository = tmp_path / "repository"
    shutil.copytree(source, repository)
    run("git", "init", "-q", cwd=repository)
    run("git", "add", "-A", cwd=repository)
    run("git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-qm", "x", cwd=repository)
    url = f"asynclint @ git+file://localhost{repository.as_posix()}"  # older pip wants a host
    run(environment / "bin" / "python", "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", url)
    check_installed(environment / "bin", tmp_path)


def test_the_actions_install_step_installs_from_the_checkout(source: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "app.py").write_text(BAD)
    runner = Runner(workspace, tmp_path / "runner", {"python": sys.executable}, action_path=source)
    runner.temp.mkdir()
    steps = runner.run()
    install = steps[INSTALL]
    assert install.returncode == 0, install.stdout + install.stderr
    assert steps["Annotate the findings"].stdout.startswith("::error title=asynclint (AL102),file=app.py,")
    check_installed(runner.temp / "asynclint-venv" / "bin", tmp_path)
