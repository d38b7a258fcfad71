"""`python -m etl load PATH... [--db FILE] [--dry-run]`, `python -m etl rebuild [--db FILE]`,
`python -m etl restore [--list] [GENERATION] [--db FILE]` and `python -m etl demo [--out DIR] [--scale N]`.

Text that comes from files (names, messages quoting them) is printed as plain text, never as rich
markup: a file named `[red]x.csv` prints as itself (names are escaped by etl/loader.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from etl.config import check_load_config, load_config
from etl.config_check import ConfigError
from etl.demo_aside import aside_path, describe, is_demo, moved_note
from etl.errors import WarehouseError
from etl.loader import FileResult, found_files, load
from etl.reject import printable_name
from etl.warehouse import db_path, gen_dir, generations, live_path, problem, restore, strays


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Revline ETL")
    sub = parser.add_subparsers(dest="command", required=True)
    p_load = sub.add_parser("load", help="load export files or folders into the warehouse")
    p_load.add_argument("paths", nargs="+", help="export files (CSV/XLSX) or folders of them")
    p_load.add_argument("--db", help="warehouse file (default: $REVLINE_DB or data/warehouse.duckdb)")
    p_load.add_argument("--dry-run", action="store_true",
                        help="check the files as a load would (same summary and exit code), write nothing")  # fmt: skip
    p_rebuild = sub.add_parser("rebuild", help="rebuild the contract tables and marts from what is loaded "
                               "(after upgrading Revline or editing config/)")  # fmt: skip
    p_rebuild.add_argument("--db", help="warehouse file (default: $REVLINE_DB or data/warehouse.duckdb)")
    p_demo = sub.add_parser("demo", help="write a realistic demo dataset of exports")
    p_demo.add_argument("--out", default="data/demo", help="output folder (default: data/demo)")
    p_demo.add_argument("--scale", type=float, default=1.0, help="volume multiplier (default 1)")
    add_restore_parser(sub)
    args = parser.parse_args(argv)
    try:
        if args.command != "demo":  # demo writes exports, reading no config
            check_load_config()  # every value typed and in range before anything runs (etl/config_check.py)
        return dispatch(args)
    except (WarehouseError, ConfigError) as exc:  # a damaged warehouse, a full disk, another key: the fix, no traceback
        Console(stderr=True, soft_wrap=True).print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        return 2


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "restore":
        return cmd_restore(db_path(args.db), args.generation, args.list)
    if args.command == "load":
        return cmd_load(args.paths, db_path(args.db), args.dry_run)
    if args.command == "rebuild":
        return cmd_rebuild(db_path(args.db))
    return cmd_demo(Path(args.out), args.scale)


def cmd_load(paths: list[str], db: Path, dry_run: bool = False) -> int:
    console = Console(stderr=True, soft_wrap=True)  # messages on one line, for scripts that grep them
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        for p in missing:
            console.print(_line("error:", "red", f"{printable_name(p)}: no such file or folder."))
        return 2
    found = found_files(paths)
    for name, why in found.skipped:
        console.print(_line("skipped:", "yellow", f"{name}: {why}"))
    files = found.files
    if not files:
        console.print(_line("error:", "red", f"no files found in {printable_name(', '.join(paths))}."))
        return 2
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("loading", total=len(files))

        def on_file(r: FileResult) -> None:
            progress.update(task, description=escape(f"loaded {r.name}"))
            progress.advance(task)

        was_demo, moved = is_demo(db), []
        results = load(paths, db, on_file=on_file, dry_run=dry_run, demo_to=moved)
    table = summary_table(results, db)
    if dry_run:
        table.title = Text(f"Dry run: nothing was written to {printable_name(describe(db))}")
    Console().print(table)
    if moved:  # the demo is never a target (etl/demo_aside.py): where it went, in one line
        Console(soft_wrap=True).print(_line("demo:", "yellow", printable_name(moved_note(db, moved[0]))))
    elif dry_run and was_demo:
        Console(soft_wrap=True).print(_line("demo:", "yellow", printable_name(
            f"{db} is the demo: a load would move it to {aside_path(db)} and start your own warehouse "
            "there, so these counts are against an empty warehouse.")))  # fmt: skip
    for r in results:
        if r.status.startswith("loaded") and r.message:
            console.print(_line("note:", "", f"{r.name}: {r.message}"))
    failed = [r for r in results if not r.ok]
    for r in failed:
        console.print(_line("failed:", "red", r.message))
    return 1 if failed else 0


def _line(label: str, style: str, text: str) -> Text:
    """A styled label, then `text` as it is (no markup)."""
    return Text.assemble((label, style), " ", text)


def cmd_rebuild(db: Path) -> int:
    """Rebuild the models without reading a file: the same swap as a load, with no files."""
    console = Console(stderr=True, soft_wrap=True)
    if not db.exists():
        console.print(f"[red]error:[/red] {db}: no such warehouse.")
        return 2
    load([], db)
    console.print(f"rebuilt the contract tables and marts of {describe(db)}")
    return 0


def add_restore_parser(sub) -> None:
    p = sub.add_parser("restore", help="list the kept warehouse generations, or swap one back in")
    p.add_argument("generation", nargs="?", help="the generation to swap in (see --list)")
    p.add_argument("--list", action="store_true", help="list the kept generations (the default)")
    p.add_argument("--db", help="warehouse file (default: $REVLINE_DB or data/warehouse.duckdb)")


def cmd_restore(db: Path, name: str | None, list_only: bool) -> int:
    """List the generations (newest first, with whether each reads), or restore one by name."""
    if name and not list_only:
        gen = restore(db, name)
        print(f"restored {gen.name} into {db}; the version it replaced is kept: "
              f"`python -m etl restore --list --db {db}`")  # fmt: skip
        if (keep := load_config().keep_generations) == 0:
            print(f"[warehouse] keep_generations = {keep}: the next load removes it; raise the setting, or copy "
                  f"it out of {gen_dir(db)}, to keep it longer")  # fmt: skip
        return 0
    live = live_path(db)
    state = ("missing" if not live.exists() else "damaged" if problem(live) else "readable")
    print(f"live: {db} ({state}{', the demo: invented numbers' if is_demo(db) else ''})")
    gens = generations(db)
    for g in gens:
        print(f"{g.name}  {g.size / 1e6:,.1f} MB  {'damaged' if problem(g.path) else 'readable'}")
    for name_, why in strays(db):  # never followed, never restored: named so nobody looks for it
        print(f"skipped {printable_name(name_)}: {why}")
    if not gens:
        print("no generations kept (config/revline.toml [warehouse] keep_generations)")
    else:
        print(f"restore one with `python -m etl restore GENERATION --db {db}`")
    return 0


def _file_cell(r: FileResult, style: str) -> Text:
    """The file's name (plain text: never read as markup) over its export and status."""
    cell = Text(r.name or printable_name(r.path.name))
    cell.append(f"\n  {r.adapter or '-'}, ")
    cell.append(r.status, style=style or None)
    return cell


def summary_table(results: list[FileResult], db: Path) -> Table:
    """One row per file: read = loaded + merged + rejected + duplicate (skipped rows are not records;
    merged: ad rows summed into their campaign and day)."""
    t = Table(title=Text(f"Loaded into {printable_name(describe(db))}"), box=box.SIMPLE_HEAD, pad_edge=False,
              padding=(0, 0, 0, 1))  # fits 80 columns  # fmt: skip
    counts = ("read", "loaded", "merged", "rejected", "duplicate", "skipped")
    t.add_column("file / export, status", overflow="fold", ratio=1)
    for col in counts:
        t.add_column(col, justify="right", no_wrap=True)
    for r in results:
        c = r.counts
        style = {"failed": "red", "loaded_with_rejects": "yellow"}.get(r.status, "")
        t.add_row(
            _file_cell(r, style),
            *(f"{n:,}" for n in (c.rows_read, c.rows_loaded, c.rows_merged, c.rows_rejected, c.rows_duplicate,
                                 c.rows_skipped)),
        )  # fmt: skip
    return t


def cmd_demo(out: Path, scale: float) -> int:
    from etl.demo_data import write_demo

    files = write_demo(out, scale=scale)
    print(f"wrote {len(files)} demo export files to {out}", file=sys.stdout)
    return 0
