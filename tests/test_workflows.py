"""The CI workflows in .ci/examples, run through their own commands on a documentation
repository with a pull request: lint, check and the diff for a comment all do what the steps
promise (the steps that install docgen or post the comment need the hosting service)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from pages import page, response

EXAMPLES = ROOT / ".ci" / "examples"
ROWS = ["| Name | string | the name |", "| Size | int32 | how big |"]


def _git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A documentation repository on a pull request's branch, whose base has a property the
    branch removes; the SDK committed with it is generated from the branch's pages."""
    if shutil.which("git") is None:
        pytest.skip("no git")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    origin, repo = tmp_path / "origin.git", tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], env=env, check=True, capture_output=True)
    (repo / "docs").mkdir(parents=True)
    _git(repo, env, "init", "-q")
    _git(repo, env, "checkout", "-q", "-b", "main")
    (repo / "pyproject.toml").write_text(
        '[tool.docgen]\ninput = "docs"\noutput = "sdk"\npackage = "thing_api"\n', encoding="utf-8"
    )
    (repo / "docs" / "a.md").write_text(page(body=response("Thing", ROWS)), encoding="utf-8")

    def generate() -> None:
        subprocess.run(["docgen", "generate", "-q"], cwd=repo, env=env, check=True, capture_output=True)

    generate()
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "base")
    _git(repo, env, "remote", "add", "origin", str(origin))
    _git(repo, env, "push", "-q", "origin", "main")
    _git(repo, env, "checkout", "-q", "-b", "change")
    (repo / "docs" / "a.md").write_text(page(body=response("Thing", ROWS[:1])), encoding="utf-8")
    generate()
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "remove Size")
    return repo, env


def _runs(commands: list[str], repo: Path, env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    return [
        subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", command],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for command in commands
    ]


def _of_docgen(command: str) -> bool:
    """A command of the workflow's own (not the install, not the comment through the service)."""
    return any(line.strip().startswith("docgen ") for line in command.splitlines())


def test_the_github_workflow_on_a_pull_request(pull_request: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, env = pull_request
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["docgen"]["steps"]
    commands = [step["run"] for step in steps if _of_docgen(step.get("run", ""))]
    assert len(commands) == 3
    runner = tmp_path / "runner"
    runner.mkdir()
    env = {**env, "RUNNER_TEMP": str(runner), "GITHUB_BASE_REF": "main", "GITHUB_EVENT_NAME": "pull_request"}
    for run in _runs(commands, repo, env):
        assert run.returncode == 0, run.stderr
    comment = (runner / "docgen-diff.md").read_text(encoding="utf-8")
    assert comment.startswith("### API changes: suggested **major** version bump") and "removed property" in comment
    assert any("--body-file" in step.get("run", "") for step in steps)  # the comment step posts that file
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    assert status == ""  # the cache ignores itself: nothing new to commit

    (repo / "docs" / "a.md").write_text(page(body=response("Thing", ROWS)), encoding="utf-8")  # pages changed, SDK not
    assert [run.returncode for run in _runs(commands[1:2], repo, env)] == [1]


def test_the_gitlab_job_on_a_merge_request(pull_request: tuple[Path, dict[str, str]]) -> None:
    repo, env = pull_request
    job = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))["docgen"]
    env = {**env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "DOCGEN_NOTE_TOKEN": ""}
    runs = _runs(job["script"], repo, env)
    assert [run.returncode for run in runs] == [0] * len(job["script"]), [run.stderr for run in runs]
    assert "removed property" in (repo / "docgen-diff.md").read_text(encoding="utf-8")
    assert job["artifacts"]["paths"] == ["docgen-diff.md"]
