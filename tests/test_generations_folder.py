"""Restore and the generations folder (issue 21 extra, issue 29 points 10-11): a restore accepts the
name the folder shows (`NAME.duckdb`, or its path) or says exactly what to type; a restore keeps what
it replaces whatever `keep_generations` says; anything in `<db>.gen/` that is not a sound generation
(a dangling link, a link, a folder, another name) is skipped and named by loads, listings and
restores; a problem after the swap is reported as such, never as a failed load."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from etl.cli import main as etl_main
from etl.loader import load
from etl.warehouse import gen_dir, generations, strays
from tests.test_recovery import FILES, REPO, built, cli, fingerprint, leftovers


def test_restore_takes_the_file_name_the_folder_shows(tmp_path, capsys):
    db = built(tmp_path, 3)  # generations load1, load2
    versions = {g.name: fingerprint(g.path) for g in generations(db)}
    older = generations(db)[1]
    assert etl_main(["restore", f"{older.name}.duckdb", "--db", str(db)]) == 0  # as `ls` shows it
    assert fingerprint(db) == versions[older.name]
    newest = generations(db)[0]  # the version the restore replaced (load3)
    assert etl_main(["restore", str(gen_dir(db) / f"{newest.name}.duckdb"), "--db", str(db)]) == 0  # its path
    assert fingerprint(db)[2][0] == 3
    # what cannot be a generation of this warehouse: refused saying exactly what to type
    outside = tmp_path / "elsewhere" / f"{older.name}.duckdb"
    outside.parent.mkdir()
    shutil.copyfile(older.path, outside)
    for wrong, said in ((str(outside), "is not in"), ("no-such.duckdb", "No generation 'no-such.duckdb'")):
        assert etl_main(["restore", wrong, "--db", str(db)]) == 2
        err = capsys.readouterr().err
        assert said in err and f"python -m etl restore {generations(db)[0].name} --db {db}" in err
        assert "Traceback" not in err
    assert fingerprint(db)[2][0] == 3 and leftovers(db) == []


def keep_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config)
    path = config / "revline.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("keep_generations = 3", "keep_generations = 0"),
                    encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("REVLINE_CONFIG_DIR", str(config))


def test_a_restore_keeps_what_it_replaces_with_keep_generations_0(tmp_path, monkeypatch, capsys):
    db = built(tmp_path, 3)  # keep 3: generations load1, load2; live load3
    newest = fingerprint(db)
    keep_none(tmp_path, monkeypatch)
    older = generations(db)[1]
    assert etl_main(["restore", older.name, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "keep_generations = 0: the next load removes it" in out
    assert fingerprint(db) == fingerprint(older.path)
    kept = [g for g in generations(db) if g.name.endswith("-load3")]
    assert len(kept) == 1 and fingerprint(kept[0].path) == newest  # the newest data is still there
    assert len(generations(db)) == 3  # and a restore removes nothing
    assert etl_main(["restore", kept[0].name, "--db", str(db)]) == 0  # so it can be undone
    assert fingerprint(db) == newest
    # a load still follows the setting: it keeps none
    assert all(r.ok for r in load([FILES[3]], db))
    assert generations(db) == []


def entry(kind: str, folder: Path, sound: Path) -> str:
    """One thing in the generations folder that is not a sound generation; its name."""
    name = {"dangling link": "20990101-000000.000-load9.duckdb", "link": "20990101-000001.000-load9.duckdb",
            "folder": "20990101-000002.000-load9.duckdb", "other name": "my-backup.duckdb"}[kind]  # fmt: skip
    if kind == "dangling link":
        (folder / name).symlink_to(folder / "gone.duckdb")
    elif kind == "link":
        (folder / name).symlink_to(sound)
    elif kind == "folder":
        (folder / name).mkdir()
    else:
        shutil.copyfile(sound, folder / name)
    return name


@pytest.mark.parametrize("kind", ["dangling link", "link", "folder", "other name"])
def test_what_is_not_a_generation_is_skipped_and_named(tmp_path, kind):
    db = built(tmp_path, 2)
    outside = tmp_path / "outside.duckdb"
    shutil.copyfile(db, outside)
    name = entry(kind, gen_dir(db), outside)
    assert name in dict(strays(db)) and next(g.name for g in generations(db)).endswith("-load1")
    p = cli("etl", "restore", "--list", "--db", str(db))  # listed: the generations, then what is skipped
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    assert f"skipped {name}: " in p.stdout and "-load1  " in p.stdout
    p = cli("etl", "load", str(FILES[2]), "--db", str(db))  # a load: exit 0, and it names the entry
    assert p.returncode == 0 and "Traceback" not in p.stderr and "failed" not in p.stderr, p.stderr
    assert name in p.stderr and "is not a generation" in p.stderr
    assert fingerprint(db)[2][0] == 3
    assert os.path.lexists(gen_dir(db) / name)  # left as it is: never followed, never deleted
    assert outside.exists()
    p = cli("etl", "restore", name, "--db", str(db))  # not restorable: said, with what to type
    assert p.returncode == 2 and "is not a generation that can be restored" in p.stderr, p.stderr
    assert "Traceback" not in p.stderr and fingerprint(db)[2][0] == 3


def test_a_problem_after_the_swap_is_not_a_failed_load(tmp_path, monkeypatch, caplog):
    """A generation the pruning cannot remove (the file system refuses the unlink, as for an
    immutable file): the load has swapped in its version, so it says so and what failed after,
    exit 0, never "failed"."""
    db = built(tmp_path, 4)  # generations load1-load3: the next load prunes load1
    oldest = generations(db)[-1].path
    unlink = Path.unlink

    def refuse(self, *args, **kwargs):
        if self == oldest:
            raise PermissionError(1, "Operation not permitted", str(self))
        return unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", refuse)
    assert etl_main(["load", str(FILES[4]), "--db", str(db)]) == 0
    said = caplog.text
    assert "Traceback" not in said and "failed:" not in said, said
    assert "the new version of" in said and "is live; only removing the old generation" in said
    monkeypatch.undo()
    assert fingerprint(db)[2][0] == 5 and oldest.exists() and leftovers(db) == []
