"""The warehouse file and how a load replaces it without ever locking out readers or losing a version.

DuckDB locks a file across processes both ways, so a load never writes the live file: it copies
the live warehouse to `<db>.next`, loads into the copy, checkpoints, closes, and `os.replace`s it
onto the live path (atomic on POSIX). A load killed at any point leaves the live file untouched;
the next load starts from a fresh copy. One load at a time is enforced with an flock on `<db>.lock`.

What a swap keeps: the live file's mode, group (and owner, as root) and, when `--db` is a symlink,
the link (the swap replaces its target). The version it replaces stays in `<db>.gen/` as a
generation (a hard link: no copy, no time; the last `[warehouse] keep_generations`), which
`python -m etl restore` swaps back the same way. A damaged warehouse, a foreign write-ahead log,
a full disk or a read-only folder end in one `WarehouseError` naming the fix, and leave no
`.next`, `.next.wal` or partial generation behind. See docs/decisions/0046-loads-build-a-copy-and-swap-it-in.md
and docs/decisions/0047-replaced-versions-are-kept-as-hard-link-generations.md.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import re
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import duckdb

from etl.config import RULE_FIELDS, Config, load_config
from etl.db import execute, many
from etl.demo_aside import aside_path, demo_marker, is_demo
from etl.errors import WarehouseError

DEFAULT_DB = Path("data/warehouse.duckdb")
SCHEMA = """
create table if not exists load_log (
    load_id integer primary key, file_name varchar, file_sha256 varchar, adapter varchar,
    started_at timestamp, finished_at timestamp, rows_read bigint, rows_loaded bigint,
    rows_rejected bigint, rows_duplicate bigint, rows_skipped bigint, status varchar,
    message varchar, file_path varchar, encoding varchar, delimiter varchar, header_line integer,
    date_order varchar, number_format varchar
);
-- columns added since: added in place to a warehouse built before them
alter table load_log add column if not exists number_format varchar;
-- the per-file invariant (etl/grain.py)
alter table load_log add column if not exists rows_merged bigint;
alter table load_log add column if not exists file_spend decimal(18, 2);
alter table load_log add column if not exists file_impressions bigint;
alter table load_log add column if not exists file_clicks bigint;
alter table load_log add column if not exists stored_spend decimal(18, 2);
alter table load_log add column if not exists stored_impressions bigint;
alter table load_log add column if not exists stored_clicks bigint;
alter table load_log add column if not exists invariant_ok boolean;
-- export times (etl/export_time.py): newest export wins
alter table load_log add column if not exists exported_at timestamp;
alter table load_log add column if not exists exported_at_source varchar;
alter table load_log add column if not exists rows_older bigint;
-- the deals / opportunities each deals export held, with the hash of its row: the export is a snapshot of
-- the pipeline at its export time even where its rows were identical to a staged version (etl/dedupe.py)
create table if not exists snapshot_rows (load_id integer, record_key varchar, row_hash varchar);
alter table load_log add column if not exists downloaded_at timestamp;
create table if not exists rejected_rows (
    load_id integer, file_name varchar, line_number integer, raw_line varchar, reason varchar
);
create table if not exists channels (channel varchar primary key);
"""


def memory_limit(env: str, default: str) -> str:
    """DuckDB's buffer limit for a process: beyond it joins, sorts and windows spill to disk
    (`<db>.tmp`) instead of growing RSS; DuckDB's own default is 80% of the machine."""
    return os.environ.get(env) or default


def db_path(arg: str | Path | None = None) -> Path:
    return Path(arg or os.environ.get("REVLINE_DB") or DEFAULT_DB)


# The warehouse's own facts (one row per name): `email_key_fingerprint` guards the e-mail hash key.
META = "create table if not exists warehouse_meta (name varchar primary key, value varchar);"

log = logging.getLogger(__name__)

# What DuckDB says when a file is damaged or carries a write-ahead log that is not its own.
UNREADABLE = ("not a valid DuckDB database", "Could not read enough bytes", "Corrupt database file",
              "does not match stored checksum", "WAL")  # fmt: skip
# Why a folder cannot take the next version, and what the user does about it.
NO_ROOM = {
    errno.ENOSPC: ("the disk is full", "Free space there (a load needs room for one more copy of the "
                   "warehouse) and load again."),
    errno.EDQUOT: ("the disk quota is used up", "Free space there and load again."),
    errno.EFBIG: ("a file size limit was reached", "Raise the limit (ulimit -f) and load again."),
    errno.EROFS: ("the folder is on a read-only file system", "Use --db with a writable folder."),
    errno.EACCES: ("the folder is not writable for this user", "Make it writable (a load writes "
                   "<db>.next, <db>.lock and <db>.gen/ beside the warehouse) or use --db elsewhere."),
    errno.EPERM: ("the folder does not allow writing", "Make it writable (a load writes <db>.next, "
                  "<db>.lock and <db>.gen/ beside the warehouse) or use --db elsewhere."),
}  # fmt: skip
DUCKDB_ERRNO = {"No space left on device": errno.ENOSPC, "Read-only file system": errno.EROFS,
                "Permission denied": errno.EACCES, "Operation not permitted": errno.EPERM,
                "Disk quota exceeded": errno.EDQUOT, "File too large": errno.EFBIG}  # fmt: skip


@dataclass(frozen=True)
class Generation:
    """An earlier warehouse version kept in `<db>.gen/`: `<UTC time it was made>-load<last load_id>`."""

    name: str
    path: Path
    size: int


def live_path(db: Path) -> Path:
    """The file a swap replaces: a symlinked `--db` keeps its link, its target gets the new version."""
    return Path(os.path.realpath(db))


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def gen_dir(db: Path) -> Path:
    return _beside(live_path(db), ".gen")


# A generation's name (_keep): `<UTC time>-load<N>.duckdb`, `-2-` after the date when two share a time.
GENERATION_NAME = re.compile(r"\d{8}-(?:\d+-)?\d{6}\.\d{3}-load\d+\.duckdb")
# What Revline itself sets aside in `<db>.gen/` beside the generations (never restored, never pruned).
SET_ASIDE = {".bad": "a damaged version set aside", ".wal": "a write-ahead log set aside"}


def _entries(db: Path) -> tuple[list[Generation], list[tuple[str, str]]]:
    """The folder `<db>.gen/` sorted into sound generations (regular files with a generation's name,
    newest first) and everything else, each with why it is not one. Nothing in it is followed (a link
    is a link, dangling or not) and nothing in it ends a listing, a load or a restore."""
    d = gen_dir(db)
    gens: list[Generation] = []
    other: list[tuple[str, str]] = []
    try:
        names = sorted(os.listdir(d)) if d.is_dir() else []
    except OSError as exc:
        return [], [(d.name, f"the folder cannot be read ({exc.strerror or exc})")]
    for name in names:
        path = d / name
        try:
            st = path.lstat()
        except OSError as exc:
            other.append((name, f"cannot be read ({exc.strerror or exc})"))
            continue
        if stat.S_ISLNK(st.st_mode):
            other.append((name, "a link to nothing" if not path.exists() else "a link, not a kept version"))
        elif stat.S_ISDIR(st.st_mode):
            other.append((name, "a folder, not a kept version"))
        elif not stat.S_ISREG(st.st_mode):
            other.append((name, "not a regular file"))
        elif GENERATION_NAME.fullmatch(name):
            gens.append(Generation(name.removesuffix(".duckdb"), path, st.st_size))
        elif name.endswith(".partial"):
            continue  # a half copy of a killed load: removed by the next one (_remove_partial)
        else:
            other.append((name, SET_ASIDE.get(path.suffix, "not a generation's name (TIME-loadN.duckdb)")))
    return sorted(gens, key=lambda g: g.name, reverse=True), other


def generations(db: Path) -> list[Generation]:
    """The kept generations, newest first (names sort by time): sound ones only (`strays`: the rest)."""
    return _entries(db)[0]


def strays(db: Path) -> list[tuple[str, str]]:
    """What `<db>.gen/` holds that is not a generation (a link, a folder, another name), with why:
    skipped by listings, restores and pruning, and named, never followed or deleted."""
    return [(n, why) for n, why in _entries(db)[1] if why not in SET_ASIDE.values()]


def is_unreadable(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and any(s in str(exc) for s in UNREADABLE)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def problem(path: Path, full: bool = False) -> str | None:
    """Why `path` is not a readable Revline warehouse, or None. `full` reads every block of every
    table (DuckDB checks each block's checksum on read); otherwise the catalog and load_log only."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as g (read_only)", [str(path)]).fetchall()
        return problem_in(con, "g", full, path)
    except duckdb.Error as exc:
        return _first_line(exc)
    finally:
        con.close()


HEADERS = 3 * 4096  # DuckDB's file header and two database headers, before the blocks


def problem_in(con: duckdb.DuckDBPyConnection, catalog: str, full: bool, path: Path | None = None) -> str | None:
    """`problem` on an attached catalog. With `path`, a file shorter than its own header says (cut
    short by a full disk or a partial copy) is found without reading any block."""
    # a write-ahead log beside the file is replayed in memory on attach: its blocks count in the
    # header's total without being in the file yet, so the length check would call a sound file cut
    if path is not None and not Path(f"{path}.wal").exists():
        used, size = con.execute(
            "select total_blocks - free_blocks, block_size from pragma_database_size() where database_name = ?",
            [catalog],
        ).fetchall()[0]  # fmt: skip
        # used blocks, not total: DuckDB trims free blocks at the file's end but still counts them
        # (a sound file after a rebuild was one 256 KB block shorter than HEADERS + total blocks)
        expected, actual = HEADERS + used * size, os.path.getsize(path)
        if actual < expected:
            return f"the file has {actual:,} bytes where its header says at least {expected:,}: it was cut short"
    tables = [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = ? and not temporary", [catalog]
    ).fetchall()]  # fmt: skip
    if "load_log" not in tables:
        return "it has no load_log table, so it is not a Revline warehouse"
    for t in tables if full else ["load_log"]:
        con.execute(f'select count(*), bit_xor(hash(columns(*))) from "{catalog}"."{t}"').fetchall()
    return None


def last_good(db: Path) -> Generation | None:
    return next((g for g in generations(db) if problem(g.path) is None), None)


def damaged(db: Path, what: BaseException | str) -> str:
    """The one message for a warehouse that cannot be read: what is wrong and the way back."""
    why = what if isinstance(what, str) else _first_line(what)
    wal = _beside(live_path(db), ".wal")
    if "WAL" in why and wal.exists():
        return (f"The warehouse {db} cannot be read: the write-ahead log {wal} beside it does not belong "
                f"to it ({why}); a program other than Revline wrote the file. Run `python -m etl rebuild "
                f"--db {db}`: it keeps the log's changes if they belong to the file and moves it aside "
                "otherwise.")  # fmt: skip
    good = last_good(db)
    back = (f"The last good generation is {good.name}: `python -m etl restore {good.name} --db {db}`."
            if good else "No earlier generation is kept: load your exports again into a new file "
            "(`python -m etl load EXPORTS --db NEW_FILE`).")  # fmt: skip
    return f"The warehouse {db} is damaged and cannot be read ({why}). {back}"


def key_fingerprint(key: str) -> str:
    """Names a key without revealing it: a truncated SHA-256 of it, never the key."""
    return hashlib.sha256(b"revline email hash key\0" + key.encode()).hexdigest()[:16]


def _check_key(con: duckdb.DuckDBPyConnection, db: Path, key: str) -> None:
    """A warehouse hashes every e-mail with one key; a load with another would stop merging people."""
    mine = key_fingerprint(key)
    rows = con.execute("select value from warehouse_meta where name = 'email_key_fingerprint'").fetchall()
    if not rows:  # a new warehouse, or one made before fingerprints: its key is this one from now on
        execute(con, "insert into warehouse_meta values ('email_key_fingerprint', ?)", [mine])
        return
    if rows[0][0] != mine:
        from etl.config import email_key_source

        raise WarehouseError(
            f"The warehouse {db} hashes e-mails with another key (fingerprint {rows[0][0]}) than this "
            f"load's key from {email_key_source(db)} (fingerprint {mine}); loading would stop merging "
            "people, so nothing was loaded. Use the warehouse's key: set REVLINE_EMAIL_HASH_KEY to it, "
            f"or put it in [revline] email_hash_key of the secrets file, or restore the key file "
            f"{_beside(live_path(db), '.key')}."
        )


@contextlib.contextmanager
def _locked(live: Path) -> Iterator[None]:
    live.parent.mkdir(parents=True, exist_ok=True)
    with _beside(live, ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _remove_partial(live: Path) -> None:
    """What a failed or killed load leaves: the copy, its log, DuckDB's spill folder, a half copy."""
    tmp = _beside(live, ".next")
    for p in (tmp, _beside(tmp, ".wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(_beside(tmp, ".tmp"), ignore_errors=True)
    d = _beside(live, ".gen")
    if d.is_dir():
        for p in d.glob("*.partial"):
            p.unlink(missing_ok=True)


def _failed(exc: BaseException, db: Path, live: Path) -> NoReturn:
    """Called in the `except` of a load or restore that failed: no partial file stays, and the error
    raised is one WarehouseError naming the fix, or `exc` itself."""
    with contextlib.suppress(OSError):
        _remove_partial(live)
    err = _translated(exc, db)
    if err is exc:
        raise exc
    raise err from None


def _translated(exc: BaseException, db: Path) -> BaseException:
    """A full disk, a read-only folder, a damaged file: one WarehouseError naming the fix."""
    if isinstance(exc, WarehouseError):
        return exc
    code = exc.errno if isinstance(exc, OSError) else None
    if isinstance(exc, duckdb.Error):
        code = next((c for s, c in DUCKDB_ERRNO.items() if s in str(exc)), None)
        if code is None and is_unreadable(exc):
            return WarehouseError(damaged(db, exc))
    if code in NO_ROOM:
        reason, fix = NO_ROOM[code]
        return WarehouseError(
            f"Could not write the next version of {db} in {live_path(db).parent}: {reason} "
            f"({_first_line(exc)}). Nothing was changed and no partial file was left. {fix}"
        )
    return exc


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), config={"memory_limit": memory_limit("REVLINE_ETL_MEMORY", "2GB")})


def _open_copy(db: Path, live: Path, tmp: Path, fresh: bool = False) -> duckdb.DuckDBPyConnection:
    """Copy the live file (and its write-ahead log, if any) to `tmp` and open it; `fresh`: a new,
    empty file instead. A log that belongs to the file is replayed into the copy; one that does not
    is dropped (the swap moves it aside)."""
    wal, tmp_wal = _beside(live, ".wal"), _beside(tmp, ".wal")
    if live.exists() and not fresh:
        shutil.copyfile(live, tmp)
        if wal.exists():
            shutil.copyfile(wal, tmp_wal)
    try:
        return _connect(tmp)
    except duckdb.Error as exc:
        if not (tmp_wal.exists() and "WAL" in str(exc)):
            raise
        log.warning("%s does not belong to %s (%s): loading without it; it is moved aside into %s",
                    wal, db, _first_line(exc), _beside(live, ".gen"))  # fmt: skip
        tmp_wal.unlink()
        return _connect(tmp)


def _label(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> str:
    table = f'"{catalog}".load_log' if catalog else "load_log"
    n = con.execute(f"select coalesce(max(load_id), 0) from {table}").fetchall()[0][0]
    return f"load{n}"


def _stamp(path: Path) -> str:
    t = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return f"{t:%Y%m%d-%H%M%S}.{t.microsecond // 1000:03d}"


def _keep(live: Path, label: str | None) -> Path:
    """Keep the version being replaced: a hard link (the swap only unlinks the live name, so the
    inode stays as it was), else a copy. A damaged one is set aside, not counted as a generation."""
    d = _beside(live, ".gen")
    d.mkdir(mode=0o700, exist_ok=True)
    name = f"{_stamp(live)}-{label}.duckdb" if label else f"{_stamp(live)}-damaged.bad"
    dest = d / name
    n = 1
    while dest.exists():
        n += 1
        dest = d / name.replace("-", f"-{n}-", 1)
    try:
        os.link(live, dest)
    except OSError:  # no hard links here (another file system, FAT): copy, never a half copy
        partial = _beside(dest, ".partial")
        shutil.copyfile(live, partial)
        os.replace(partial, dest)
    return dest


def _swap(live: Path, tmp: Path, keep: int, label: str | None, restoring: bool = False) -> Path | None:
    """Make `tmp` the live file: durable first, with the live file's mode and group, the replaced
    version kept, a write-ahead log beside it moved aside (its changes are in `tmp` or are not ours).
    `restoring`: the replaced version is kept whatever `keep` says and nothing is pruned (a restore
    only adds; the next load prunes to `keep`). Returns the kept version's path. Once the new file is
    live, nothing that fails while tidying up undoes it or is reported as a failed load: each such
    problem is logged as what it is (_after_swap)."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    kept = None
    if live.exists():
        st = live.stat()
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        with contextlib.suppress(PermissionError):
            os.chown(tmp, st.st_uid if os.geteuid() == 0 else -1, st.st_gid)
        if keep > 0 or label is None or restoring:
            kept = _keep(live, label)
    wal = _beside(live, ".wal")
    if wal.exists():
        d = _beside(live, ".gen")
        d.mkdir(mode=0o700, exist_ok=True)
        os.replace(wal, d / f"{_stamp(wal)}-moved-aside.wal")
    os.replace(tmp, live)
    _after_swap(live, None if restoring else keep, kept)
    return kept


def _after_swap(live: Path, keep: int | None, kept: Path | None) -> None:
    """The new version is live: make the swap durable and prune generations beyond `keep` (None: prune
    nothing). A failure here is logged as a tidy-up problem after a successful swap, never raised."""
    def warn(what: str, exc: BaseException) -> None:
        log.warning("the new version of %s is live; only %s failed (%s): nothing was lost, fix it before the "
                    "next load", live, what, _first_line(exc))  # fmt: skip

    try:
        dir_fd = os.open(live.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        warn(f"flushing the folder {live.parent}", exc)
    gens, other = _entries(live)
    for name, why in other:
        if why not in SET_ASIDE.values():
            log.warning("%s in %s is not a generation (%s): skipped, left as it is", name, gen_dir(live), why)
    if keep is None:
        return
    for g in gens[max(keep, 0):]:
        if g.path == kept:
            continue
        try:
            g.path.unlink(missing_ok=True)
        except OSError as exc:
            warn(f"removing the old generation {g.path} ([warehouse] keep_generations = {keep})", exc)


def _set_demo_aside(db: Path, live: Path, tmp: Path, dest: Path) -> None:
    """Swap `tmp` (the user's new warehouse) in at `live` and keep the demo it replaces at `dest`,
    whole: a hard link to the replaced inode (a copy where links fail), its marker, generations,
    key file and write-ahead log. The default path never goes missing (the app would build the demo
    again there), a reader of the demo keeps its file, and the marker goes last: a moment with the
    badge on the user's rows, never one without it on the demo's."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    made: list[Path] = []
    try:
        try:
            os.link(live, dest)
        except OSError:  # no hard links here: copy, never a half copy
            shutil.copyfile(live, _beside(dest, ".partial"))
            os.replace(_beside(dest, ".partial"), dest)
        made.append(dest)
        shutil.copyfile(demo_marker(db), demo_marker(dest))
        made.append(demo_marker(dest))
        for suffix in (".key", ".wal"):  # the demo's own: its e-mail hash key, an unmerged log
            if (src := _beside(live, suffix)).exists():
                shutil.copy2(src, _beside(dest, suffix))
                made.append(_beside(dest, suffix))
        if (gens := _beside(live, ".gen")).is_dir():  # the demo's generations stay the demo's
            os.rename(gens, _beside(dest, ".gen"))
    except BaseException:
        for p in made:
            p.unlink(missing_ok=True)
        raise
    _beside(live, ".wal").unlink(missing_ok=True)  # kept with the demo: it is not the new file's
    os.chmod(tmp, stat.S_IMODE(live.stat().st_mode))
    os.replace(tmp, live)
    dir_fd = os.open(live.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    demo_marker(db).unlink(missing_ok=True)


@contextlib.contextmanager
def next_version(db: Path, key: str | None = None, keep: int | None = None,
                 demo_to: list[Path] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:  # fmt: skip
    """Yield a read-write connection to a copy of `db`; on success swap it in atomically, keeping
    the replaced version as a generation. `key`: the e-mail hash key this load uses (checked
    against the warehouse's fingerprint). `demo_to`: when `db` is the demo, yield a new, empty
    warehouse instead, set the demo aside at the swap and append where it went (etl/demo_aside.py).
    Every failure leaves the live file as it was."""
    live = live_path(db)
    keep = load_config().keep_generations if keep is None else keep
    tmp = _beside(live, ".next")
    con = None
    try:
        with _locked(live):
            _remove_partial(live)
            # decided under the lock: a load that waited for another one that moved the demo
            # finds the user's warehouse and loads into it
            dest = aside_path(db) if demo_to is not None and is_demo(db) and live.exists() else None
            con = _open_copy(db, live, tmp, fresh=dest is not None)
            execute(con, SCHEMA)
            execute(con, META)
            if (reason := problem_in(con, con.execute("select current_database()").fetchall()[0][0], True, tmp)):
                raise WarehouseError(damaged(db, reason))
            if key is not None:
                _check_key(con, db, key)
            label = _label(con)
            yield con
            execute(con, "checkpoint")
            con.close()
            con = None
            if dest is not None:
                _set_demo_aside(db, live, tmp, dest)
                demo_to.append(dest)
            else:
                _swap(live, tmp, keep, label)
    except BaseException as exc:
        if con is not None:
            con.close()
        _failed(exc, db, live)


def generation_named(db: Path, name: str) -> Generation:
    """The generation `name` names: as `restore --list` shows it, or as the folder does (its file name
    `NAME.duckdb`, or that file's path in `<db>.gen/`). Anything else is refused saying what to type."""
    found = {g.name: g for g in generations(db)}
    given = Path(name)
    base = given.name.removesuffix(".duckdb")
    in_folder = given.parent == Path(".") or Path(os.path.realpath(given.parent)) == Path(os.path.realpath(gen_dir(db)))
    if in_folder and base in found:
        return found[base]
    listed = ", ".join(found) or "none"
    hint = f"Type a name as `python -m etl restore --list --db {db}` shows it, e.g. `python -m etl restore " + (
        f"{next(iter(found))} --db {db}`." if found else f"NAME --db {db}`.")
    aside = dict(_entries(db)[1])
    if given.name in aside:
        raise WarehouseError(f"{given.name} in {gen_dir(db)} is not a generation that can be restored "
                             f"({aside[given.name]}). Kept generations: {listed}. {hint}")  # fmt: skip
    if not in_folder:
        raise WarehouseError(f"{name} is not in {gen_dir(db)}, the generations of {db}: a restore swaps in "
                             f"only a kept generation of this warehouse. Kept generations: {listed}. {hint}")  # fmt: skip
    raise WarehouseError(f"No generation {name!r} of {db}. Kept generations: {listed}. {hint}")


def restore(db: Path, name: str, keep: int | None = None) -> Generation:
    """Swap generation `name` back in, the same way a load swaps: the version it replaces is always
    kept, whatever `[warehouse] keep_generations` says (a damaged one is set aside in `<db>.gen/` as
    `*-damaged.bad`), and a restore removes no generation, so it can be undone; the next load prunes
    to the setting. `name`: as `restore --list` shows it, or the generation's file name or path."""
    live = live_path(db)
    keep = load_config().keep_generations if keep is None else keep
    gen = generation_named(db, name)
    name = gen.name
    if (why := problem(gen.path, full=True)) is not None:
        raise WarehouseError(f"Generation {name} of {db} cannot be read either ({why}); pick another "
                             f"with `python -m etl restore --list --db {db}`.")  # fmt: skip
    tmp = _beside(live, ".next")
    try:
        with _locked(live):
            _remove_partial(live)
            shutil.copyfile(gen.path, tmp)
            label = None
            if live.exists() and problem(live, full=True) is None:
                con = duckdb.connect(":memory:")
                try:
                    con.execute("attach ? as g (read_only)", [str(live)]).fetchall()
                    label = _label(con, "g")
                finally:
                    con.close()
            _swap(live, tmp, keep, label, restoring=True)
    except BaseException as exc:
        _failed(exc, db, live)
    return gen


def write_config_tables(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """Config the SQL models read, as small tables (values bound, never formatted into SQL)."""
    execute(con, "create or replace table config_fx (currency varchar, rate double)")
    many(con, "insert into config_fx values (?, ?)", list(cfg.fx.items()))
    execute(con, "create or replace table config_platform_sources (platform varchar, utm_source varchar)")
    many(
        con,
        "insert into config_platform_sources values (?, ?)",
        [(p, s) for p, sources in cfg.platform_sources.items() for s in sources],
    )
    execute(con, "create or replace table config_platforms (platform varchar, label varchar, sort_key integer)")
    many(con, "insert into config_platforms values (?, ?, ?)",
         [(p, label, i) for i, (p, label) in enumerate(cfg.platform_labels.items())])  # fmt: skip
    fields = ", ".join(f"{f} varchar[]" for f in RULE_FIELDS)
    execute(con, f"create or replace table config_channel_rules (rule_no integer, channel varchar, {fields})")
    many(
        con,
        f"insert into config_channel_rules values (?, ?, {', '.join('?' for _ in RULE_FIELDS)})",
        [
            (i, r.channel, *[list(r.conditions[f]) if f in r.conditions else None for f in RULE_FIELDS])
            for i, r in enumerate(cfg.channel_rules)
        ],
    )
    execute(con, "create or replace table config_automation (kind varchar, pattern varchar)")
    many(
        con,
        "insert into config_automation values (?, ?)",
        [("assignee", a) for a in cfg.automated_assignees] + [("subject", s) for s in cfg.automated_subjects],
    )
    execute(con, "create or replace table config_stages (source_system varchar, pipeline varchar, stage varchar, outcome varchar)")
    many(con, "insert into config_stages values (?, ?, ?, ?)", list(cfg.stages))  # lower-cased; pipeline '' = any
    execute(con, "create or replace table config_stage_probabilities (source_system varchar, stage varchar, probability double)")
    many(con, "insert into config_stage_probabilities values (?, ?, ?)", list(cfg.stage_probabilities))
    execute(con, "create or replace table config_reporting (reporting_currency varchar)")
    execute(con, "insert into config_reporting values (?)", [cfg.reporting_currency])
    execute(con, "delete from channels")
    many(con, "insert into channels values (?)", [(c,) for c in cfg.channels])
