"""Make the spreadsheet fixtures of this folder, as HR's tools save them (run it to remake them).

    python3 dev.py python tests/data/intake/make_fixtures.py

- gbk.csv: Chinese headers, saved by Excel in Chinese as "CSV" (GBK), with a phone column.
- western.csv, short-latin1.csv, short-gbk.csv: Windows-1252 and Latin-1 exports, and a short
  GBK one (see ENCODED).
- semicolon.csv: a European-locale Excel export: ';' between columns, a title row, capitalised
  English headers, CRLF line ends, an email column.
- readme-first.xlsx: a "Read me" sheet first, then the applicants under a title row.
- drive.xls: the old binary Excel format (written with xlwt, a dev dependency).
- small-stream.xls: drive.xls with its records in the compound file's "mini stream" (under
  4,096 bytes), as some writers store a small workbook (`write_small_ole`).
- drive.ods: an OpenDocument spreadsheet (LibreOffice, WPS), written by `write_ods` below.
- far-cell.xlsx: a stray cell at XFD1048576, far right of and below the table.
- blank-header.csv, .xlsx, .ods: the same sheet thrice, as HR hands it over after adding a
  column of remarks without a header (column D) and writing past the header's last column in
  one row (column H).

It also writes the spreadsheet cases of tests/hostile/ (`write_hostile`): files built to crash
or exhaust a reader, each listed in tests/hostile/expectations.yaml.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
HOSTILE = HERE.parent.parent / "hostile"

CHINESE = [
    ["编号", "姓名", "应聘岗位", "工作年限", "渠道", "手机", "taobao-operations",
     "merchandise-operations", "customer-service"],
    ["g-1", "方雨", "taobao-operator", "4年", "taobao;tmall", "13800138000", "4", "3", "3"],
    ["g-2", "秦浩", "Taobao store operator", "3", "baidu", "13900139000", "1", "0", "1"],
]  # fmt: skip

ENGLISH = [
    ["Applicants, spring drive 2026"],
    ["Id", "Name", "Applying For", "Years of Experience", "Email", "SEO", "Keyword research",
     "data_analysis"],
    ["s-1", "Lin Wei", "seo-specialist", "5", "lin@example.com", "4", "4", "3"],
    ["s-2", "Ma Jun", "SEO specialist", "2", "ma@example.com", "2", "3", "1"],
]  # fmt: skip

#: CSV files as Excel saves "CSV" outside China (Windows-1252), and two short ones whose bytes
#: read both as GBK and as Windows-1252: charset-normalizer tells them apart.
ENCODED = {
    "western.csv": ("cp1252", [
        ["id", "name", "applying_for", "notes", "seo", "keyword-research"],
        ["w-1", "José García", "seo-specialist", "“strong” – expects €3500", "4", "4"],
        ["w-2", "Jürgen Müller", "seo-specialist", "très bien", "2", "3"],
        ["w-3", "Søren Østergaard", "seo-specialist", "", "3", "3"],
    ]),
    "short-latin1.csv": ("latin-1", [
        ["id", "name", "applying_for", "notes", "seo"],
        ["w-4", "Søren Rossi", "seo-specialist", "naïve copy", "3"],
    ]),
    "short-gbk.csv": ("gbk", [["id", "name", "applying_for", "seo"], ["g-3", "徐辉", "seo-specialist", "4"]]),
}  # fmt: skip

SHEET = [
    ["Spring drive: applicants"],
    [],
    ["ID", "Name", "Applying for", "Source", "Taobao operations", "Merchandise operations",
     "Customer service"],
    ["x-1", "Fang Yu", "taobao-operator", "boss直聘", 4, 3, 3],
    ["x-2", "Qin Hao", "taobao-operator", "referral", 1, 0, 1],
]  # fmt: skip

BLANK_HEADER = [
    ["id", "name", "applying_for", "", "seo", "keyword-research"],
    ["b-1", "Lin Wei", "seo-specialist", "called back", "4", "4"],
    ["b-2", "Ma Jun", "seo-specialist", "", "2", "3", "", "wants remote"],
    ["b-3", "Wu Fang", "seo-specialist", "", "3", "3"],
]

README = [["How to fill this in"], ["One applicant per row on the sheet 'Applicants'."]]


def write_csvs() -> None:
    text = "\n".join(",".join(row) for row in CHINESE) + "\n"
    (HERE / "gbk.csv").write_bytes(text.encode("gbk"))
    for name, (encoding, rows) in ENCODED.items():
        text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
        (HERE / name).write_bytes(text.encode(encoding))
    text = "\r\n".join(";".join(row) for row in ENGLISH) + "\r\n"
    (HERE / "semicolon.csv").write_bytes(text.encode("utf-8"))


def write_blank_header() -> None:
    from openpyxl import Workbook

    text = "\r\n".join(",".join(row) for row in BLANK_HEADER) + "\r\n"
    (HERE / "blank-header.csv").write_bytes(text.encode("utf-8"))
    book = Workbook()
    for row in BLANK_HEADER:
        book.active.append([int(v) if v.isdigit() else (v or None) for v in row])
    book.save(HERE / "blank-header.xlsx")
    write_ods(HERE / "blank-header.ods", [("Applicants", BLANK_HEADER)])  # type: ignore[arg-type]


def write_xlsx() -> None:
    from openpyxl import Workbook

    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    for row in README:
        readme.append(row)
    sheet = book.create_sheet("Applicants")
    for row in SHEET:
        sheet.append(row)
    book.save(HERE / "readme-first.xlsx")


def write_xls() -> None:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook()
    for title, rows in (("Read me", README), ("Applicants", SHEET)):
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.save(str(HERE / "drive.xls"))


def workbook_stream(path: Path) -> bytes:
    """The BIFF records of an .xls written by xlwt (its Workbook stream, without the padding
    xlwt adds to reach 4,096 bytes)."""
    import struct

    data = path.read_bytes()  # xlwt writes the stream in one run of sectors: find its start
    directory = 512 * (1 + struct.unpack_from("<I", data, 0x30)[0])
    start, size = struct.unpack_from("<II", data, directory + 128 + 0x74)
    stream = data[512 * (1 + start) :][:size]
    at, last_eof = 0, 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        at += 4 + length
        if kind == 0x000A:
            last_eof = at
        if kind == 0 and length == 0:
            break
    return stream[:last_eof]


def write_small_ole(path: Path, stream: bytes) -> None:
    """A compound file (the container of .xls) whose Workbook stream is under 4,096 bytes, so
    kept in the "mini stream" as some writers do: header, FAT, directory, mini FAT, mini stream."""
    import struct

    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    mini = stream + b"\0" * (-len(stream) % 64)
    mini_sectors = len(mini) // 64
    big = mini + b"\0" * (-len(mini) % 512)
    data_sectors = len(big) // 512
    fat = [fat_sector, end, end, *range(4, 3 + data_sectors), end]
    fat += [free] * (128 - len(fat))
    minifat = [*range(1, mini_sectors), end] + [free] * (128 - mini_sectors)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        raw = encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
        raw += struct.pack("<III", none, none, child) + b"\0" * 36
        return raw + struct.pack("<III", start, size, 0)

    directory = entry("Root Entry", 5, 1, 3, len(mini)) + entry("Workbook", 2, none, 0, len(stream))
    directory += entry("", 0, none, end, 0) * 2
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<108I", *[free] * 108)
    body = struct.pack("<128I", *fat) + directory + struct.pack("<128I", *minifat) + big
    path.write_bytes(header + body)


def write_ods(path: Path, sheets: list[tuple[str, list[list[object]]]], tail: str = "") -> None:
    """A minimal OpenDocument spreadsheet: the mimetype first and stored, then the content."""
    tables = []
    for title, rows in sheets:
        body = []
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, int | float):
                    cells.append(f'<table:table-cell office:value-type="float" '
                                 f'office:value="{value}"><text:p>{value}</text:p></table:table-cell>')  # fmt: skip
                else:
                    cells.append(f'<table:table-cell office:value-type="string">'
                                 f"<text:p>{escape(str(value))}</text:p></table:table-cell>")  # fmt: skip
            body.append(
                f"<table:table-row>{''.join(cells) or '<table:table-cell/>'}</table:table-row>"
            )
        tables.append(
            f'<table:table table:name="{escape(title)}">{"".join(body)}{tail}</table:table>'
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )  # fmt: skip
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def write_merge_bomb(path: Path) -> None:
    """A 2-row sheet whose <mergeCells> spans the whole grid and lists 50,000 ranges of six
    million cells each: filled naively, 10^11 cells; the reader's budget leaves them unfilled."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "applying_for", "seo"])
    sheet.append(["h-1", "Merged", "seo-specialist", "nine"])  # rejected: one line, quickly
    book.save(path)
    ranges = "".join('<mergeCell ref="C2:H1048576"/>' for _ in range(50_000))
    merges = f'<mergeCells count="50001"><mergeCell ref="A1:XFD1048576"/>{ranges}</mergeCells>'
    with zipfile.ZipFile(path) as source:
        members = {info: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + merges.encode(), 1)
            target.writestr(info, data)


def write_hostile() -> None:
    from openpyxl import Workbook

    book = Workbook()  # one cell at the last column of the last row: a 5 KB file whose grid,
    sheet = book.active  # made dense, would take hundreds of GB (read row by row, it is kept
    sheet.append(["id", "name", "applying_for"])  # aside: tests/test_intake.py)
    sheet.append(["h-1", "Far", "seo-specialist"])
    sheet["XFD1048576"] = "x"
    book.save(HERE / "far-cell.xlsx")
    write_merge_bomb(HOSTILE / "sheet-merge-bomb.xlsx")
    import xlwt

    book = xlwt.Workbook()  # the same in the old binary format: calamine would build a 1 GB
    sheet = book.add_sheet("Sheet1")  # grid for it as it opens the file
    for row, values in enumerate(
        [["id", "name", "applying_for"], ["h-1", "Far", "seo-specialist"]]
    ):
        for column, value in enumerate(values):
            sheet.write(row, column, value)
    sheet.write(65535, 255, "x")
    book.save(str(HOSTILE / "sheet-far-cell.xls"))
    stream = workbook_stream(HOSTILE / "sheet-far-cell.xls")
    write_small_ole(HOSTILE / "sheet-far-cell-mini-stream.xls", stream)
    (HOSTILE / "sheet-html-as.xls").write_text(
        "<html><body><table><tr><td>id</td><td>name</td></tr></table></body></html>\n",
        encoding="utf-8",
    )
    (HOSTILE / "sheet-truncated.xlsx").write_bytes(b"PK\x03\x04\x14\x00" + b"\x00" * 60)
    (HOSTILE / "sheet-undecodable.csv").write_bytes(b"\x81\xff\xfe\x80,\x81\n\xff\x00\x81\n")
    (HOSTILE / "sheet-no-header.csv").write_text(
        "Applicants 2026\nphone,email\n1380,a@example.com\n", encoding="utf-8"
    )
    (HOSTILE / "sheet-two-name-columns.csv").write_text(
        "id,name,姓名\nh-1,Li,李\n", encoding="utf-8"
    )
    far = (
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    write_ods(HOSTILE / "sheet-repeat-bomb.ods", [("S", [["id", "name"], ["h-1", "Li"]])], far)


#: The rows of merged.xlsx and merged.xls: the post typed once, merged down over two rows.
MERGED = [
    ["id", "name", "applying_for", "taobao-operations"],
    ["m-1", "Fang Yu", "taobao-operator", 4],
    ["m-2", "Qin Hao", None, 4],
]


def write_review_fixtures() -> None:
    """The files of the red-team review of the intake (tests/test_intake.py, "review")."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in MERGED:
        sheet.append(row)
    sheet.merge_cells("C2:C3")
    book.save(HERE / "merged.xlsx")

    import xlwt  # type: ignore[import-untyped]

    old = xlwt.Workbook()
    sheet = old.add_sheet("Applicants")
    for r, row in enumerate(MERGED):
        for c, value in enumerate(row):
            if value is not None and (c, r) != (2, 1):
                sheet.write(r, c, value)
    sheet.write_merge(1, 2, 2, 2, "taobao-operator")
    old.save(str(HERE / "merged.xls"))

    text = "id,name,applying_for,seo\nu-1,张三,seo-specialist,4\n"
    (HERE / "utf16le-no-bom.csv").write_bytes(text.encode("utf-16-le"))
    (HERE / "utf16be-no-bom.csv").write_bytes(text.encode("utf-16-be"))
    # Excel in Europe: ';' between columns, ',' before decimals.
    (HERE / "decimal-comma.csv").write_bytes(
        b"id;name;applying_for;experience_years;seo\r\nd-1;Dora;seo-specialist;4,5;4\r\n"
    )
    # GBK whose first 64 KiB are plain ASCII: the Chinese names come after 2,500 rows.
    ascii_rows = [f"a-{i},Ann {i},seo-specialist,3" for i in range(2500)]
    late = [
        "id,name,applying_for,seo",
        *ascii_rows,
        "c-1,张三,seo-specialist,4",
        "c-2,李四,seo-specialist,2",
    ]
    (HERE / "late-gbk.csv").write_bytes(("\n".join(late) + "\n").encode("gbk"))
    # UTF-8 with one GBK line pasted in near the top.
    (HERE / "one-gbk-line.csv").write_bytes(
        "id,name,applying_for,seo\nu-1,张三,seo-specialist,4\n".encode()
        + "u-2,张四,seo-specialist,3\n".encode("gbk")
        + "u-3,李四,seo-specialist,4\n".encode()
    )
    (HERE / "duplicate-notes.csv").write_text(
        "id,name,applying_for,seo,备注,,备注\nb-1,Bo,seo-specialist,4,first,x,second\n",
        encoding="utf-8",
    )
    (HERE / "bad-cells.csv").write_text(
        "编号,姓名,应聘岗位,工作年限,淘宝/天猫店铺运营\n"
        "n-1,,taobao-operator,3,4\n"
        "n-2,Bo,taobao-operator,五年,4.5\n"
        "n-3,Cy,taobao-operator,-2,3\n",
        encoding="utf-8",
    )
    (HERE / "loose-headers.csv").write_text(
        "ID,Name,Applying For,工作 年限,搜索引擎优化\n"
        "h-1,Hu,SEO 专员,3,4\nh-2,He,seo专员,2,3\nh-3,Ha,Taobao Store Operator,2,\n",
        encoding="utf-8",
    )


def main() -> None:
    write_review_fixtures()
    write_hostile()
    write_csvs()
    write_blank_header()
    write_xlsx()
    write_xls()
    write_small_ole(HERE / "small-stream.xls", workbook_stream(HERE / "drive.xls"))
    write_ods(HERE / "drive.ods", [("Read me", README), ("Applicants", SHEET)])


if __name__ == "__main__":
    main()
