"""The built wheel carries the rubrics and prompts and works from outside the repo."""

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # build from a clean copy: a stale build/ directory would hide a package missing from
    # pyproject's explicit package list
    src = out / "src"
    anywhere = shutil.ignore_patterns(".venv", "*.egg-info", ".git", "__pycache__", ".*_cache")

    def ignore(path: str, names: list[str]) -> set[str]:
        # build/ and dist/ only at the top: interviewer/build is a package
        top = {"build", "dist"} & set(names) if Path(path) == REPO else set()
        return set(anywhere(path, names)) | top

    shutil.copytree(REPO, src, ignore=ignore)
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(src),
        ],
        cwd=out,
    )
    return next(out.glob("interviewer-*.whl"))


def test_wheel_ships_rubrics_and_prompts(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    bundled = sorted(p.name for p in (REPO / "rubrics" / "ml-training").glob("*.yaml"))
    assert bundled, "no bundled rubrics"
    for name in bundled:
        assert f"interviewer/rubrics/ml-training/{name}" in names
    assert any(n.startswith("interviewer/prompts/") for n in names)
    assert not any(n.startswith(("tests/", "rubrics/", "prompts/")) for n in names)
    # every module of the source tree ships (the package list in pyproject is explicit)
    for module in (REPO / "interviewer").rglob("*.py"):
        assert module.relative_to(REPO).as_posix() in names, module


def test_installed_wheel_runs_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    py = venv / "bin" / "python"
    site = Path(
        run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=tmp_path,
        ).stdout.strip()
    )
    # Dependencies come from the test environment (no network, no second download); the
    # package itself only from the wheel, which comes first on sys.path.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        cwd=tmp_path,
    )

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_")}
    env |= {"INTERVIEWER_HOME": str(tmp_path / "home"), "PYTHONPATH": ""}
    where = run(
        [str(py), "-c", "import interviewer; print(interviewer.__file__)"], cwd=outside, env=env
    )
    assert where.stdout.startswith(str(venv)), where.stdout
    listing = run([str(venv / "bin" / "interviewer"), "questions"], cwd=outside, env=env).stdout
    assert "l1-l2-regularization" in listing and "dropout" in listing
    check = run(
        [str(venv / "bin" / "interviewer"), "bank", "check", "--strict"], cwd=outside, env=env
    )
    assert check.stdout.strip().splitlines()[-1].startswith("ok:")
    # a whole (one-question) interview from the installed package, the answer piped in
    interview = subprocess.run(
        [str(venv / "bin" / "interviewer"), "interview", "--questions", "3", "--depth", "0"],
        input="Dropout zeroes random units in training; at inference all units are used.\n.\n\n",
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert interview.returncode == 0, interview.stderr
    assert "Overall:" in interview.stdout
    # and the TUI paints its first frame from the installed package (headless driver)
    report = tmp_path / "frame.json"
    code = "from interviewer.tui.app import InterviewerApp; InterviewerApp(lang='en').run(headless=True)"
    run([str(py), "-c", code], cwd=outside, env=env | {"INTERVIEWER_FIRST_FRAME_FILE": str(report)})
    assert report.exists()
