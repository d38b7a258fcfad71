"""Find out what a file is before reading it: container, encoding, delimiter and header row.

Real exports put preamble lines above the header (Google Ads, LinkedIn, Salesforce formatted
reports), come in UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252, and use `,`, tab
or `;`. The header row is the first line that satisfies an export contract.
"""

from __future__ import annotations

import csv
import fnmatch
import io
from dataclasses import dataclass
from pathlib import Path

from etl.contracts import LANGUAGES, Column, Match, all_contracts, detect, norm_header
from etl.errors import FinalRefusal, LoadError, printable

HEAD_BYTES = 256 * 1024
MAX_PREAMBLE_LINES = 60
DELIMITERS = (",", "\t", ";")


def accepted() -> str:
    """The exports Revline reads, for messages (read from the contracts when first needed)."""
    return ", ".join(c.label for c in all_contracts())


@dataclass
class Sniffed:
    kind: str  # "csv" | "xlsx"
    encoding: str  # python codec name for csv; "" for xlsx
    delimiter: str
    header_index: int  # 0-based line (csv) or row (xlsx) of the header
    header: list[str]
    match: Match


def container(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadError(
            path.name,
            "is a legacy Excel 97-2003 (.xls) workbook, which Revline does not read.",
            "the same report downloaded as CSV or XLSX.",
        )
    if not head:
        raise LoadError(path.name, "is empty (0 bytes).", "an export with a header row.")
    return "csv"


def encoding_of(path: Path, head: bytes) -> str:
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    sample = head[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        if sample[1:2] == b"\x00" and sample[0:1] != b"\x00":
            return "utf-16-le"
        if sample[0:1] == b"\x00":
            return "utf-16-be"
    if b"\x00" in sample:
        raise LoadError(
            path.name,
            "is a binary file, not a text export (it contains NUL bytes).",
            f"a CSV or XLSX export from one of: {accepted()}.",
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "cp1252"
    return "utf-8"


def split_line(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def find_header(path: Path, lines: list[str], kind: str) -> Sniffed:
    """Try each early line with each delimiter; the first that satisfies a contract is the header."""
    best_partial: tuple[Match, int] | None = None
    for i, line in enumerate(lines[:MAX_PREAMBLE_LINES]):
        delims = DELIMITERS if kind == "csv" else ("\x1f",)
        for d in delims:
            if kind == "csv" and d not in line:
                continue
            fields = split_line(line, d) if kind == "csv" else line.split("\x1f")
            if len(fields) < 2:
                continue
            _refuse_comparison(path, fields, i)
            full, partial = detect(fields)
            if full:
                return Sniffed(kind, "", d, i, [f.strip() for f in fields], full)
            if partial and (best_partial is None or partial.coverage > best_partial[0].coverage):
                best_partial = (partial, i)
    if best_partial:
        raise resembles_error(path, *best_partial)
    if marked := _marked_download(path, lines):
        raise marked
    raise LoadError(
        path.name,
        "is not an export Revline recognises: no header row in its first "
        f"{MAX_PREAMBLE_LINES} lines matches a known export.",
        f"a CSV or XLSX export from one of: {accepted()}.",
    )


def _refuse_comparison(path: Path, fields: list[str], line: int) -> None:
    """A header shape a contract refuses outright (`[[refuse]]`): Search Console's comparison export
    (`Last 3 months Clicks` beside `Previous 3 months Clicks`: two periods, read as one it would
    double every number) or its chart grouped by month (`Date range`: not days)."""
    normed = [norm_header(f) for f in fields]
    for c in all_contracts():
        for patterns, at_least, problem, advice in c.refusals:
            hits = [f for f, n in zip(fields, normed, strict=True)
                    if any(fnmatch.fnmatchcase(n, norm_header(p)) for p in patterns)]  # fmt: skip
            per_pattern = max(
                (sum(fnmatch.fnmatchcase(n, norm_header(p)) for n in normed) for p in patterns), default=0
            )
            if hits and per_pattern >= at_least:
                shown = " beside ".join(quoted_header(h) for h in hits[:2])
                raise FinalRefusal(
                    path.name,
                    f"is a {c.label.split(':')[0]} {problem} (header on line {line + 1}: {shown}).",
                    f"{advice}.",
                )


def _marked_download(path: Path, lines: list[str]) -> LoadError | None:
    """A file that starts with a vendor's preamble (GA4's rule line) but holds none of its reports by
    day (a Reports snapshot, an Acquisition overview: several date-less cards in one file): refused
    naming its title (the next `#` line) and the reports Revline reads from that vendor."""
    first = lines[0].replace("\ufeff", "").strip() if lines else ""
    own = [c for c in all_contracts() if c.preamble_mark and first.startswith(c.preamble_mark)]
    if not own:
        return None
    title = next((ln.strip("# ").strip() for ln in lines[1:4] if ln.strip("# ").strip()), "")
    named = f" '{printable(title)}'" if title else ""
    return LoadError(
        path.name,
        f"is a download of the report{named}, which has no table by day that Revline reads.",
        f"one of {', '.join(c.label for c in own)}, with {own[0].daily_breakdown}.",
    )


def quoted_header(header: str) -> str:
    """A header cell or contract label quoted for a message ("Amount spent (*)" as people read it)."""
    return "'" + printable(header.replace("(*)", "(USD)").replace("*", "…")) + "'"


def listed(cols: list[Column], language: str, most: int = 4) -> str:
    """'A', 'B' and 'C' in the file's language, the English label in brackets when it differs."""
    names = []
    for c in cols[:most]:
        local, english = c.header_in(language), c.headers[0]
        names.append(quoted_header(local) + (f" ({quoted_header(english)})" if local != english else ""))
    if len(cols) > most:
        names.append(f"{len(cols) - most} more")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def resembles_error(path: Path, m: Match, line: int) -> LoadError:
    """A header that partly matches an export: name the export, what is missing and where the
    vendor's UI adds it. A missing date in an ad report is a missing daily breakdown, which the
    UI sets with its own control (Segment > Time > Day), not by adding a column."""
    c = m.contract
    lang = m.language
    in_lang = f" in {LANGUAGES[lang]}" if lang != "en" else ""
    daily = [col for col in m.missing if c.daily_breakdown and col.type == "date" and col.name in c.key]
    cols = [col for col in m.missing if col not in daily]
    problems, fixes = [], []
    if daily:
        problems.append("has no breakdown by day")
        fixes.append(f"one row per day ({c.daily_breakdown})")
    if cols:
        noun = "column" if len(cols) == 1 else "columns"
        problems.append(f"lacks the {noun} {listed(cols, lang)}")
        fixes.append(f"the {noun} added ({c.add_columns})" if c.add_columns else f"the {noun} added")
    return LoadError(
        path.name,
        f"looks like a {c.label}{in_lang} (header on line {line + 1}) but {' and '.join(problems)}.",
        " and ".join(fixes) + ".",
    )


def head_lines(path: Path, head: bytes, encoding: str) -> list[str]:
    text = head.decode(encoding, errors="replace")
    lines = io.StringIO(text, newline=None).read().split("\n")
    if len(head) >= HEAD_BYTES:
        lines = lines[:-1]  # the last line may be cut mid-way
    return lines
