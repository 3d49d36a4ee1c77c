"""What docgen trusts: a cache or journal only when this user's docgen signed it, plain data only
from a state, and only its own files to delete. Each reproduction runs on decoy files in a temp
folder."""

from __future__ import annotations

import enum
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from docgen import secret
from docgen.cli import main
from docgen.config import Config
from docgen.output.check import read_tree
from docgen.output.write import write_tree
from docgen.pipeline import run
from docgen.run_state import data_classes, dump_changes

INPUT = ROOT / "input_docs"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    shutil.copytree(INPUT, tmp_path / "docs")
    return tmp_path / "docs"


def _generate(docs: Path, out: Path, cache: Path, *more: str) -> int:
    return main(["generate", str(docs), "--out", str(out), "--package", "p", "--cache-dir", str(cache), "-q", *more])


def _check(docs: Path, out: Path, cache: Path) -> int:
    # --strict but for the seed's own warning: any other (a cache refused, say) fails the check
    return main(
        [
            "check",
            str(docs),
            "--out",
            str(out),
            "--package",
            "p",
            "--cache-dir",
            str(cache),
            "--strict",
            "--ignore",
            "DG011",
        ]
    )


def _other_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Another user, another machine or a fresh CI runner: another key."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))


# --- a cache nobody can forge -------------------------------------------------------------


def test_a_cache_another_key_signed_is_a_miss(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    assert run(Config(inputs=(docs,), package="p", cache_dir=cache)).cached is False
    assert run(Config(inputs=(docs,), package="p", cache_dir=cache)).cached is True
    _other_key(monkeypatch, tmp_path)
    assert run(Config(inputs=(docs,), package="p", cache_dir=cache)).cached is False  # copied, restored, committed


def test_a_forged_state_never_ships(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reproduction: text appended inside the cache's state (its recorded sizes kept right)."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    assert _generate(docs, out, cache) == 0
    (state,) = (cache / "states").glob("*.pickle")
    data = bytearray(state.read_bytes())
    at = data.find(b"class ClientError")
    assert at > 0
    data[at : at + 5] = b"CLASS"  # the same length: only the signature can tell
    state.write_bytes(bytes(data))
    assert _generate(docs, out, cache) == 0
    assert b"CLASS" not in (out / "p" / "_runtime" / "errors.py").read_bytes()
    assert _check(docs, out, cache) == 0
    capsys.readouterr()


def test_a_rewritten_stamp_record_does_not_hide_an_edit(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    assert _generate(docs, out, cache) == 0
    target = out / "p" / "_client.py"
    target.write_text(target.read_text(encoding="utf-8") + "# backdoor\n", encoding="utf-8")
    info = target.stat()
    for record in (cache / "outputs").glob("*.json"):
        signed = record.read_bytes()
        seen = json.loads(signed[secret.MAC_SIZE :])
        for entry in seen["files"].values() if isinstance(seen.get("files"), dict) else []:
            if isinstance(entry, list) and entry and isinstance(entry[0], list):
                entry[0] = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        record.write_bytes(signed[: secret.MAC_SIZE] + json.dumps(seen).encode("utf-8"))
    capsys.readouterr()
    assert _check(docs, out, cache) == 1
    assert "stale" in capsys.readouterr().out


def test_a_signed_state_still_makes_nothing_but_plain_data(docs: Path, tmp_path: Path) -> None:
    """A state's changes signed with the right key that hold a class with a destructor (the
    state's own file handle, which closes fd 2 when it goes) are a miss, and stderr stays open."""
    script = f"""
import os, pickle, sys
sys.path.insert(0, {str(ROOT / "tests")!r})
import conftest
from pathlib import Path
from docgen.config import Config
from docgen.pipeline import run
from docgen.run_state import Changes, StateFile, dump_changes
import docgen.run_state as rs
cache = Path({str(tmp_path / "cache")!r})
config = Config(inputs=(Path({str(docs)!r}),), package="p", cache_dir=cache)
run(config)
(state,) = (cache / "states").glob("*.pickle")
setting = state.stem
loaded = rs.read_state(rs.StateFile(os.open(state, os.O_RDONLY), state.stat().st_size), setting)
stamp = loaded[0].stamp
evil = Changes(stamp, {{"names": {{"x": StateFile(2, 0)}}}})
data = pickle.dumps(evil)
from docgen import secret
(cache / "states" / (setting + ".changes")).write_bytes(secret.sign("changes:" + setting, data) + data)
result = run(config)
print("cached", result.cached, file=sys.stderr)
"""
    env = {**os.environ}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert "cached True" in done.stderr  # the changes were refused; the state itself was read


def test_the_classes_a_state_holds_run_nothing_as_they_are_made() -> None:
    for cls in data_classes().values():
        if issubclass(cls, enum.Enum):
            continue  # made by calling the class with a value
        for name in ("__del__", "__setstate__", "__reduce__", "__reduce_ex__", "__getattr__", "__new__", "__init_subclass__"):
            assert not any(name in vars(k) for k in cls.__mro__[:-1]), (cls, name)


def test_changes_cannot_be_signed_without_a_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the key's folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocked))
    from docgen.run_state import Changes

    assert dump_changes(Changes("s", {}), "x") is None


def test_the_key_is_the_users_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert secret.key() is not None
    path = tmp_path / "config" / "docgen" / "key"
    if hasattr(os, "getuid"):
        assert path.stat().st_mode & 0o077 == 0
        path.chmod(0o644)  # readable by others: not a secret any more
        secret._key.cache_clear()
        assert secret.key() is None
        path.chmod(0o600)
    secret._key.cache_clear()


# --- the cache touches only its own files ---------------------------------------------------


def test_a_link_planted_in_the_cache_loses_no_file(docs: Path, tmp_path: Path) -> None:
    cache, victim = tmp_path / "cache", tmp_path / "victim"
    victim.mkdir()
    for n in range(20):
        (victim / f"{'a' * 62}{n:02}.json").write_text("precious", encoding="utf-8")
    (victim / "notes.txt").write_text("precious", encoding="utf-8")
    assert _generate(docs, tmp_path / "out", cache) == 0
    shutil.rmtree(cache / "outputs")
    (cache / "outputs").symlink_to(victim)
    for n in range(3):
        assert _generate(docs, tmp_path / f"out{n}", cache) == 0
    assert sorted(p.read_text(encoding="utf-8") for p in victim.iterdir()) == ["precious"] * 21


def test_a_cache_dir_of_a_users_files_is_refused(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious", encoding="utf-8")
    (mine / "states").mkdir()
    assert _generate(docs, tmp_path / "out", mine) == 2
    assert "not docgen's cache" in capsys.readouterr().err
    assert sorted(p.name for p in mine.iterdir()) == ["states", "thesis.tex"] and not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["out", "inside out", "pages", "inside pages", "holds out"])
def test_a_cache_dir_that_is_or_holds_what_a_run_reads_or_writes_is_refused(
    where: str, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gen" / "out"
    cache = {"out": out, "inside out": out / "c", "pages": docs, "inside pages": docs / "c", "holds out": tmp_path / "gen"}[where]
    assert _generate(docs, out, cache) == 2
    assert "give it a folder of its own" in capsys.readouterr().err
    assert not out.exists()


def test_the_cache_marks_and_ignores_itself(docs: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _generate(docs, tmp_path / "out", cache) == 0
    assert (cache / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert (cache / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")


# --- nothing beside --out that a run did not make, nothing before --out is accepted ---------------


def _plant(beside: Path, out_name: str, files: dict[str, str]) -> Path:
    """A work folder as a killed run would leave one, but made by someone else: no signed journal."""
    work = beside / f".{out_name}.docgen-0badcafe"
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    (work / "journal.json").write_text(json.dumps({"out": out_name, "new": 1}), encoding="utf-8")
    return work


def test_a_planted_work_folder_is_never_acted_on(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(docs, out, tmp_path / "cache") == 0
    before = read_tree(out)
    work = _plant(tmp_path, "out", {"old/sitecustomize.py": "import evil\n", "new/notes.txt": "theirs"})
    planted = read_tree(work)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("precious", encoding="utf-8")
    (work / "new" / "link").symlink_to(victim)
    assert _generate(docs, out, tmp_path / "cache", "--no-cache") == 0
    assert read_tree(out) == before and not (out / "sitecustomize.py").exists()
    assert read_tree(work) == planted and (victim / "precious.txt").read_text(encoding="utf-8") == "precious"


def test_a_refused_out_touches_nothing_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    home, project = tmp_path / "home", tmp_path / "project"
    (home / ".ssh").mkdir(parents=True)
    shutil.copytree(INPUT, project / "docs")
    (project / "pyproject.toml").write_text("[tool.docgen]\ninput = 'docs'\npackage = 'p'\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(project)
    _plant(tmp_path, "home", {"old/.ssh/authorized_keys": "ssh-ed25519 evil\n"})
    _plant(tmp_path, "project", {"old/sitecustomize.py": "import evil\n"})
    listing = sorted(p.name for p in tmp_path.iterdir())
    for out in (str(home), ".", str(project)):
        assert main(["generate", "--out", out, "--no-cache", "-q"]) == 2
    assert "nothing written" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    assert not (home / ".ssh" / "authorized_keys").exists() and not (project / "sitecustomize.py").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0, reason="bind mounts need root on Linux")
def test_a_bind_mount_inside_out_is_never_entered(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim"
    assert _generate(docs, out, tmp_path / "cache", "--no-cache") == 0
    victim.mkdir()
    shutil.copytree(out / "p" / "models", victim / "models")
    target = out / "p" / "models"
    if subprocess.run(["mount", "--bind", str(victim / "models"), str(target)], capture_output=True, check=False).returncode:
        pytest.skip("mount --bind is not permitted here")
    try:
        (docs / "v1ChatAgent_SaveChatSessionEntity.md").unlink()
        assert _generate(docs, out, tmp_path / "cache", "--no-cache") == 2
        assert "mount point" in capsys.readouterr().err
    finally:
        subprocess.run(["umount", str(target)], check=False)
    assert sorted(p.name for p in (victim / "models").iterdir()) == sorted(p.name for p in target.iterdir())


def test_output_a_killed_run_left_is_tidied_by_the_next(tmp_path: Path) -> None:
    """The other side: a folder this user's docgen made (signed journal) is finished or undone."""
    from docgen.output import swap

    out = tmp_path / "out"
    write_tree(out, {"a.txt": "old\n"})
    work = swap.new_work(out)
    (work / "new" / "a.txt").write_text("half\n", encoding="utf-8")
    write_tree(out, {"a.txt": "new\n"})
    assert read_tree(out) == {"a.txt": "new\n"} and not work.exists()


def test_the_state_pickles_of_other_kinds_are_refused() -> None:
    from docgen.run_state import loads

    class Evil:
        pass

    with pytest.raises(pickle.UnpicklingError):
        loads(pickle.dumps(Path("/etc/passwd")))
    assert Evil  # a local class cannot even be pickled by reference: nothing to refuse there
