"""Hostile XLSX workbooks built byte by byte: a real Meta ads export whose zip directory lies about
how large its sheet unpacks (the local header and the central directory both state `stated` bytes,
the CRC is the true one), so only counting what really comes out of the stream can catch it."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

HEADER = ["Campaign name", "Day", "Campaign ID", "Account ID", "Reporting starts", "Reporting ends",
          "Impressions", "Link clicks", "Amount spent (USD)", "Results", "Result indicator",
          "Purchases conversion value"]  # fmt: skip
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
SHEET = "xl/worksheets/sheet1.xml"


def _col(i: int) -> str:
    return chr(ord("A") + i)


def _row(n: int, values: list[str]) -> bytes:
    cells = "".join(f'<c r="{_col(i)}{n}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{n}">{cells}</row>'.encode()


def lying_xlsx(path: Path, rows: int, cell_bytes: int = 0, stated: int = 4096) -> Path:
    """A Meta export of a header, one full day row and `rows` more short rows (Impressions 1; with
    a cell of `cell_bytes` characters when given), whose zip directory says its sheet unpacks to `stated`
    bytes. Written as a stream: tens of MB of sheet XML in about a second."""
    day = ["Spring Sale", "2026-03-01", "120000000000000001", "1000001", "2026-03-01", "2026-03-01", "1000",
           "20", "12.50", "2", "actions:lead", ""]  # fmt: skip
    extra = f'<c r="C{{n}}" t="inlineStr"><is><t>{"x" * cell_bytes}</t></is></c>' if cell_bytes else ""
    template = '<row r="{n}"><c r="G{n}"><v>1</v></c>' + extra + "</row>"  # Impressions: 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        with z.open(SHEET, "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>' + _row(1, HEADER) + _row(2, day))  # fmt: skip
            for start in range(3, rows + 3, 10_000):
                f.write("".join(template.format(n=n) for n in range(start, min(start + 10_000, rows + 3))).encode())
            f.write(b"</sheetData></worksheet>")
    return understate(path, SHEET, stated)


def understate(path: Path, name: str, stated: int, crc: int | None = None) -> Path:
    """Write `stated` as the part's uncompressed size (and `crc` as its CRC-32 when given) in its local
    header and its central directory entry; the compressed size stays true."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        local, pos = z.getinfo(name).header_offset, z.start_dir
    struct.pack_into("<I", data, local + 22, stated)  # local file header: uncompressed size
    if crc is not None:
        struct.pack_into("<I", data, local + 14, crc)
    while data[pos:pos + 4] == b"PK\x01\x02":  # central directory entries
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46:pos + 46 + name_len] == name.encode():
            struct.pack_into("<I", data, pos + 24, stated)
            if crc is not None:
                struct.pack_into("<I", data, pos + 16, crc)
        pos += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as z:
        assert z.getinfo(name).file_size == stated
    return path
