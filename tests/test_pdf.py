"""PDF input: the same tables and findings as the text version, with pages.

samples/*.pdf are renderings of samples/*.txt, whose tables tests/golden holds
cell by cell. tests/pdfgen.py renders the same texts again with reportlab for
what those renderings lack (merged header cells, rotated pages, a table
broken across pages without its header, 元 units, codes glued to names, a
table without rulings). Bad files are made in tmp_path.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import golden_tools
from edits import KASHI, SAMPLES, WUQIA, XINJIANG
from pdfgen import EXAMPLES, FONT, Variants, render_sample
from budgetaudit.cli import app
from budgetaudit.engine import load_rules
from budgetaudit.engine.run import check_facts
from budgetaudit.extract.facts import extract_facts
from budgetaudit.load import load, pdf
from budgetaudit.load.pdfdevice import Glyph
from budgetaudit.load.pdfgrid import place_codes
from budgetaudit.load.pdfstream import Unsupported, tokens
from budgetaudit.load.pdftext import baseline_rows, cell_text, text_of
from budgetaudit.model import InputError

SAMPLE_NAMES = [KASHI, WUQIA, XINJIANG]
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
# every 20th PDF of the corpus, by name: streams and fonts of many producers
CORPUS_SLICE = sorted(CORPUS.glob("*.pdf"))[::20] if CORPUS.is_dir() else []
RULES = load_rules()
# Rules on table facts alone (relation families A, B, C and the table list J901/J902).
TABLE_RULES = re.compile(r"^(?:A|B|C|J90[12])")
ROW_FIELDS = ("side", "kind", "code", "label", "key", "parent", "project", "group")


# ---------------------------------------------------------------- helpers


def golden(name: str) -> dict:
    return json.loads((golden_tools.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def rows_of(snapshot: dict) -> dict:
    """table id -> [(row identity, cells)], line numbers left out."""
    return {t["id"]: [(tuple(r[f] for f in ROW_FIELDS), r["cells"]) for r in t["rows"]]
            for t in snapshot["tables"]}


def table_heads(snapshot: dict) -> dict:
    return {t["id"]: (t["title"], t["number"], t["unit"], t["columns"]) for t in snapshot["tables"]}


def assert_same_tables(facts, expected: dict) -> None:
    actual = {"missing": list(facts.missing),
              "tables": [golden_tools.table_snapshot(t) for t in facts.tables]}
    assert actual["missing"] == expected["missing"]
    assert list(table_heads(actual)) == list(table_heads(expected))
    assert table_heads(actual) == table_heads(expected)
    want, got = rows_of(expected), rows_of(actual)
    forms = {t["id"] for t in expected["tables"] if not t["columns"]}
    for table_id, rows in want.items():
        if table_id in forms:
            # a form's text rows wrap where its page does: only its presence is compared
            assert got[table_id], table_id
            continue
        assert len(got[table_id]) == len(rows), table_id
        for index, (row, found) in enumerate(zip(rows, got[table_id])):
            assert found == row, (table_id, index)


def finding_key(finding) -> tuple:
    """A finding without its locations; "第 N 行" (text) and "第 N 页" (PDF) in a
    message are locations too."""
    message = re.sub(r"第 \d+ [行页]", "第 # 处", finding.message)
    return finding.rule, finding.severity, message, finding.expected, finding.actual


def in_yuan(snapshot: dict, table_id: str) -> dict:
    """The golden tables with one table restated in 元 (amounts × 10000)."""
    for table in snapshot["tables"]:
        if table["id"] == table_id:
            table["unit"] = "元"
            for row in table["rows"]:
                row["cells"] = {k: None if v is None else f"{Decimal(v) * 10000:.2f}"
                                for k, v in row["cells"].items()}
    return snapshot


@pytest.fixture(scope="module")
def pdf_facts():
    return {name: extract_facts(load(SAMPLES / f"{name}.pdf")) for name in SAMPLE_NAMES}


@pytest.fixture(scope="module")
def text_facts():
    return {name: extract_facts(load(SAMPLES / f"{name}.txt")) for name in SAMPLE_NAMES}


# ---------------------------------------------------------------- the rendered samples


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_tables_equal_the_golden_tables_of_the_text_version(name, pdf_facts):
    assert_same_tables(pdf_facts[name], golden(name))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_table_row_carries_its_page(name, pdf_facts):
    for table in pdf_facts[name].tables:
        for side in {row.side for row in table.rows}:  # two-sided: income rows, then expense
            pages = [row.page for row in table.rows if row.side == side]
            assert all(pages) and pages == sorted(pages), table.id


def test_pages_of_kashi_tables_are_the_pages_they_are_printed_on(pdf_facts):
    pages = {t.id: sorted({r.page for r in t.rows}) for t in pdf_facts[KASHI].tables}
    assert pages["income_expense_summary"] == [5]
    assert pages["income"] == [6, 7]  # the landscape 表2 runs over two pages
    assert pages["expense"] == [8]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_document_lines_are_numbered_through_and_paged(name):
    document = load(SAMPLES / f"{name}.pdf")
    assert document.source == "pdf"
    assert [line.number for line in document.lines] == list(range(1, len(document.lines) + 1))
    pages = [line.page for line in document.lines]
    assert pages[0] == 1 and pages == sorted(pages)
    assert not any(re.fullmatch(r"- \d+ -", line.text) for line in document.lines)  # footers


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_outline_and_table_list_equal_the_text_version(name, pdf_facts, text_facts):
    text, found = text_facts[name], pdf_facts[name]
    assert (found.year, found.unit_name, found.listed, found.missing) == \
        (text.year, text.unit_name, text.listed, text.missing)
    assert [s.key for s in found.sections if s.level <= 2] == \
        [s.key for s in text.sections if s.level <= 2]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_table_findings_equal_the_text_version(name, pdf_facts, text_facts):
    def table_findings(facts):
        return [finding_key(f) for f in check_facts(facts, RULES) if TABLE_RULES.match(f.rule)]

    assert table_findings(pdf_facts[name]) == table_findings(text_facts[name])


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_all_findings_equal_the_text_version(name, pdf_facts, text_facts):
    assert [finding_key(f) for f in check_facts(pdf_facts[name], RULES)] == \
        [finding_key(f) for f in check_facts(text_facts[name], RULES)]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_narrative_claims_equal_the_text_version(name, pdf_facts, text_facts):
    # a heading wrapped by the PDF ("…情况总体说" / "明") keeps its topic
    def claims(facts):
        return sorted(repr((c.kind, c.subject, dict(c.values), c.ref, c.group)) for c in facts.claims)

    assert claims(pdf_facts[name]) == claims(text_facts[name])


def test_table_findings_point_at_pages(pdf_facts):
    findings = [f for f in check_facts(pdf_facts[XINJIANG], RULES) if f.rule == "A102"]
    assert findings and all(loc.page == 13 or loc.page == 14
                            for f in findings for loc in f.locations)


def test_wrapped_paragraph_lines_are_marked():
    lines = load(SAMPLES / f"{XINJIANG}.pdf").lines
    by_text = {line.text: line for line in lines}
    first = by_text["资金分配情况：1. 临时聘用人员劳务费用：50 万元；2. 院内零星维修维护费："]
    assert first.wraps  # ends with "：" yet goes on: the paragraph is not over
    assert lines[first.number].text.startswith("50 万元；")
    assert not lines[first.number].wraps  # "…30 万元。" ends the paragraph


# ---------------------------------------------------------------- rendered variants


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfgen")

    def make(name: str, label: str, variants: Variants | None = None) -> Path:
        return render_sample(name, folder / f"{label}.pdf", variants)

    return make


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_merged_header_cells_read_back_as_the_text_form(name, rendered):
    """Every header cell drawn merged over the columns and rows it heads."""
    assert_same_tables(extract_facts(load(rendered(name, f"merged-{name}"))), golden(name))


def test_a_page_with_rotate_90_reads_upright(rendered):
    path = rendered(KASHI, "rotated", EXAMPLES["rotated"])
    assert 90 in page_rotations(path)
    facts = extract_facts(load(path))
    assert_same_tables(facts, golden(KASHI))


def test_a_table_printed_sideways_without_rotate_reads_upright(rendered):
    path = rendered(KASHI, "sideways", EXAMPLES["sideways"])
    assert set(page_rotations(path)) == {0}
    assert_same_tables(extract_facts(load(path)), golden(KASHI))


def test_tables_continued_on_the_next_page_without_their_header(rendered):
    variants = Variants(split={"单位收支总体情况表": 12, "一般公共预算基本支出情况表": 9})
    document = load(rendered(WUQIA, "split", variants))
    facts = extract_facts(document)
    assert_same_tables(facts, golden(WUQIA))
    for table_id in ("income_expense_summary", "gpb_basic"):
        table = facts.table(table_id)
        first, second = sorted({row.page for row in table.rows})
        continued = [l for l in document.lines if l.page == second and "\t" in l.text]
        assert continued[0].text.split("\t")[0] not in ("项 目", "项目", "科 目", "科目", "类")


def test_a_table_in_yuan_keeps_its_unit_line(rendered):
    facts = extract_facts(load(rendered(KASHI, "yuan", EXAMPLES["yuan"])))
    assert facts.table("expense").unit == "元"
    assert_same_tables(facts, in_yuan(golden(KASHI), "expense"))


def test_codes_glued_to_names_go_back_to_their_columns(rendered):
    from pdfminer.high_level import extract_text

    path = rendered(KASHI, "glued", EXAMPLES["glued"])
    facts = extract_facts(load(path))
    assert_same_tables(facts, golden(KASHI))
    page = facts.table("expense").rows[0].page
    assert "201 03 01 行政运行" in extract_text(str(path), page_numbers=[page - 1])


def test_a_table_without_rulings_is_read_from_white_space_with_low_confidence(rendered):
    document = load(rendered(KASHI, "unruled", EXAMPLES["unruled"]))
    assert_same_tables(extract_facts(document), golden(KASHI))
    spaced = [l for l in document.lines if l.low_confidence]
    assert spaced and all("\t" in l.text for l in spaced)
    assert any(l.text.startswith("201\t03\t01\t行政运行\t870.54") for l in spaced)
    for name in SAMPLE_NAMES:  # no false alarm on the ruled samples
        assert not any(l.low_confidence for l in load(SAMPLES / f"{name}.pdf").lines)


def page_rotations(path: Path) -> list[int]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    with path.open("rb") as handle:
        return [page.rotate for page in PDFPage.create_pages(PDFDocument(PDFParser(handle)))]


# ---------------------------------------------------------------- lines and cells


def glyph(text, x, base, size=10.5, rise=0.0):
    return Glyph(text, x, base + rise - 1, x + size * (0.5 if text.isascii() else 1),
                 base + rise + size - 1, base + rise, size)


def words(text: str, x: float, base: float, size: float = 9.0) -> list:
    glyphs = []
    for char in text:
        glyphs.append(glyph(char, x, base, size))
        x = glyphs[-1].x1
    return glyphs


def test_title_unit_and_note_ruled_into_a_table_stay_lines_of_text():
    """A frame around the whole table: its first row (title and unit) and last
    row (a note) span every column and are not table rows."""
    from budgetaudit.load.pdfdevice import PageContent
    from budgetaudit.load.pdfpage import TableMemory, page_lines

    xs, ys = [72, 200, 300, 400], [700, 680, 660, 640, 620]
    page = PageContent(595, 842)
    page.horizontal = [(y, xs[0], xs[-1]) for y in ys]
    page.vertical = [(x, ys[-1], ys[0]) if x in (xs[0], xs[-1]) else (x, ys[-2], ys[1]) for x in xs]
    page.glyphs = (words("单位：万元", 75, 685) + words("项目", 75, 665) + words("合计", 205, 665)
                   + words("公务接待费", 75, 645) + words("7.20", 205, 645)
                   + words("备注：本表无政府性基金", 75, 625))
    lines = [line.text for line in page_lines(page, TableMemory())]
    assert lines == ["单位：万元", "项目\t合计\t", "公务接待费\t7.20\t", "备注：本表无政府性基金"]


def test_digits_a_little_off_the_baseline_stay_on_the_line():
    chars = [glyph(c, 72 + 10.5 * i, 700) for i, c in enumerate("收入")]
    chars += [glyph(c, 100 + 5.25 * i, 700, rise=-2.0) for i, c in enumerate("1247.22")]
    chars += [glyph("万", 140, 700), glyph("元", 150.5, 700), glyph("下", 72, 680)]
    rows = baseline_rows(chars)
    assert [text_of(row) for row in rows] == ["收入 1247.22 万元", "下"]


def test_a_glyph_printed_twice_for_bold_is_read_once():
    chars = [glyph("合", 72, 700), glyph("合", 72.3, 700), glyph("计", 82.5, 700)]
    assert text_of(chars) == "合计"


def test_wrapped_cell_lines_join_without_spaces_in_chinese():
    chars = [glyph(c, 72 + 10.5 * i, 700) for i, c in enumerate("财政拨款")]
    chars += [glyph(c, 72 + 10.5 * i, 688) for i, c in enumerate("（补助）")]
    chars += [glyph(c, 72 + 5.25 * i, 676) for i, c in enumerate("12")]
    assert cell_text(chars) == "财政拨款（补助）12"


def test_digits_in_another_font_off_the_baseline_in_a_real_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    from pdfgen import _font

    _font()
    path = tmp_path / "fonts.pdf"
    page = canvas.Canvas(str(path))
    page.setFont(FONT, 12)
    page.drawString(72, 700, "基本支出")
    page.setFont("Helvetica", 11)
    page.drawString(125, 697.5, "1133.14")  # a Latin font, 2.5 pt below
    page.setFont(FONT, 12)
    page.drawString(170, 700, "万元，占 90.85%。")
    page.drawString(72, 680, "下一行")
    page.save()
    assert [l.text for l in load(path).lines] == ["基本支出 1133.14 万元，占 90.85%。", "下一行"]


@pytest.mark.parametrize("cells, expected", [
    (["", "", "", "2010301 行政运行", "1.00"], ["201", "03", "01", "行政运行", "1.00"]),
    (["201 03 01 行政运行", "", "", "", "1.00"], ["201", "03", "01", "行政运行", "1.00"]),
    (["20103政府办公厅（室）及相关机构事务", "", "", "", "1.00"],
     ["201", "03", "", "政府办公厅（室）及相关机构事务", "1.00"]),
    (["合计", "", "", "", "1.00"], ["", "", "", "合计", "1.00"]),
    (["", "", "", "2024年外办出国经费", "5"], ["", "", "", "2024年外办出国经费", "5"]),
    (["201", "03", "01", "行政运行", "1.00"], ["201", "03", "01", "行政运行", "1.00"]),
    (["功能分类科目编码", "", "", "功能分类科目名称", "总计"],
     ["功能分类科目编码", "", "", "功能分类科目名称", "总计"]),
])
def test_codes_are_put_back_in_their_columns(cells, expected):
    assert place_codes(cells, (0, 1, 2)) == expected


# ---------------------------------------------------------------- the fast content reader


def typed(value):
    """A token list with each value's type beside it (5 == 5.0, but pdfminer
    reads "5" as an int and "5." as a float, and so must the fast reader)."""
    if isinstance(value, list):
        return ["list", [typed(item) for item in value]]
    if isinstance(value, dict):
        return ["dict", {key: typed(item) for key, item in value.items()}]
    return [type(value).__name__, value]


def pdfminer_tokens(data: bytes) -> list:
    from pdfminer.pdfinterp import PDFContentParser
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import PSEOF

    stream = PDFStream({}, data)
    stream.objid = 1
    parser, found = PDFContentParser([stream]), []
    while True:
        try:
            found.append(parser.nextobject()[1])
        except PSEOF:
            return found


@pytest.mark.parametrize("path", [SAMPLES / f"{n}.pdf" for n in SAMPLE_NAMES] + CORPUS_SLICE,
                         ids=lambda p: p.stem[:40])
def test_fast_tokens_equal_pdfminer_tokens_on_every_content_stream(path):
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import list_value, stream_value

    with path.open("rb") as handle:
        for page in PDFPage.create_pages(PDFDocument(PDFParser(handle))):
            for stream in list_value(page.contents):
                data = stream_value(stream).get_data()
                assert typed(tokens(data)) == typed(pdfminer_tokens(data))


@pytest.mark.parametrize("data", [
    rb"BT /F1 12 Tf (a\(b\)c\\ \101\12z) Tj ET",
    rb"(nested (paren) here) Tj (line\
continued) '",
    b"<48656C6C6F> Tj <4 8 6> Tj <> Tj <48 65\n6C> Tj <4 865> Tj",
    rb"/Na#6De /A#2 /#41B /Sp#20ace Do",
    b"[(A) -120 (B) 3.5 (C)] TJ -.5 +.25 5. 0 Td",
    b"/P <</MCID 3 /Alt (x) /Sub <</K [1 2]>> >> BDC EMC",
    b"1 0 0 1 0 0 cm % a comment\n0 0 m 10 10 l S true false null",
    b"1.2.3 12abc +5 -7 - +. 0.5.5 007 1e5 Td",  # integers, reals and what is neither
])
def test_fast_tokens_equal_pdfminer_tokens_on_tricky_syntax(data):
    assert typed(tokens(data)) == typed(pdfminer_tokens(data))


# ---------------------------------------------------------------- fonts read fast


def font_programs(path: Path) -> list[tuple[str, bytes]]:
    """('cmap', ToUnicode data) and ('type1', clear-text header) of every font
    object of a PDF whose font pdfminer would parse with those parsers."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, dict_value, resolve1, stream_value

    found = []
    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        for xref in document.xrefs:
            for objid in xref.get_objids():
                try:
                    spec = resolve1(document.getobj(objid))
                except Exception:
                    continue
                if not isinstance(spec, dict) or repr(spec.get("Type")) != "/'Font'":
                    continue
                if isinstance(resolve1(spec.get("ToUnicode")), PDFStream):
                    found.append(("cmap", stream_value(spec["ToUnicode"]).get_data()))
                descriptor = dict_value(spec.get("FontDescriptor", {}))
                if "Encoding" not in spec and "FontFile" in descriptor:
                    program = stream_value(descriptor["FontFile"])
                    found.append(("type1", program.get_data()[: program["Length1"]]))
    return found


def pdfminer_flat_tokens(data: bytes) -> list:
    from io import BytesIO

    from pdfminer.psparser import PSEOF, PSBaseParser

    parser, found = PSBaseParser(BytesIO(data)), []
    while True:
        try:
            found.append(parser.nexttoken()[1])
        except PSEOF:
            return found


def both_ways(kind: str, data: bytes) -> tuple[object, object, bool]:
    """(pdfminer's own result, the fast path's, whether the fast path ran)."""
    from io import BytesIO

    from pdfminer.cmapdb import CMapParser, FileUnicodeMap
    from pdfminer.pdffont import Type1FontHeaderParser

    from budgetaudit.load import pdffonts

    pdffonts.install()
    if kind == "cmap":
        slow, quick = FileUnicodeMap(), FileUnicodeMap()
        pdffonts.ORIGINAL["run"](CMapParser(slow, BytesIO(data)))
        ran = pdffonts.fast(CMapParser(quick, BytesIO(data)))
        return (slow.cid2unichr, slow.attrs), (quick.cid2unichr, quick.attrs), ran
    slow = pdffonts.ORIGINAL["get_encoding"](Type1FontHeaderParser(BytesIO(data)))
    parser = Type1FontHeaderParser(BytesIO(data))
    ran = pdffonts.fast(parser)
    return slow, parser.get_encoding() if ran else None, ran


@pytest.mark.parametrize("path", [SAMPLES / f"{n}.pdf" for n in SAMPLE_NAMES] + CORPUS_SLICE,
                         ids=lambda p: p.stem[:40])
def test_fonts_read_fast_give_pdfminers_own_maps(path):
    programs = font_programs(path)
    fast_runs = 0
    for kind, data in programs:
        slow, quick, ran = both_ways(kind, data)
        if ran:
            assert quick == slow, kind
            assert typed(tokens(data, flat=True)) == typed(pdfminer_flat_tokens(data))
            fast_runs += 1
    assert fast_runs >= len(programs) * 0.9  # the fast path is the usual one


def test_the_type1_headers_of_kashi_are_read_fast():
    programs = [data for kind, data in font_programs(SAMPLES / f"{KASHI}.pdf") if kind == "type1"]
    assert len(programs) == 6
    for data in programs:
        slow, quick, ran = both_ways("type1", data)
        assert ran and quick == slow  # glyph names /cid20109 …: no Unicode in them


def test_a_type1_header_with_glyph_names_gives_pdfminers_encoding():
    header = (b"%!FontType1-1.0: Test 001.000\n11 dict begin\n/FontName /Test def\n"
              b"/FontBBox {-10 -20 900 800}readonly def\n/Encoding 256 array\n"
              b"0 1 255 {1 index exch /.notdef put} for\n"
              b"dup 65 /A put\ndup 66 /B put\ndup 67 /uni4E00 put\ndup 65 /C put\n"
              b"readonly def\ncurrentdict end\ncurrentfile eexec\n")
    slow, quick, ran = both_ways("type1", header)
    assert ran and quick == slow == {65: "C", 66: "B", 67: "一"}


@pytest.mark.parametrize("data", [
    b"/A [1 /x {2 3 add} <</K (v)>>] def",  # nesting of every kind
    b"begincmap 2 beginbfchar <01> <0041> <02> [<0042>] endbfchar endcmap",
    b"[ /k 1 def 2 ] /j 3 def",  # a keyword inside an array reaches do_keyword there
    b"1 2 ] >> } 3",  # closers without openers: pdfminer ignores them when not strict
])
def test_flat_tokens_equal_pdfminers_and_drive_its_stack_alike(data):
    from io import BytesIO

    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    from budgetaudit.load import pdffonts

    assert typed(tokens(data, flat=True)) == typed(pdfminer_flat_tokens(data))
    slow_parser = CMapParser(FileUnicodeMap(), BytesIO(data))
    quick_parser = CMapParser(FileUnicodeMap(), BytesIO(data))
    pdffonts.install()
    pdffonts.ORIGINAL["run"](slow_parser)
    assert pdffonts.fast(quick_parser)
    # positions in the file differ (the fast path has none); the objects do not
    assert [o for _, o in quick_parser.curstack] == [o for _, o in slow_parser.curstack]
    assert quick_parser.cmap.cid2unichr == slow_parser.cmap.cid2unichr
    assert quick_parser.cmap.attrs == slow_parser.cmap.attrs


def test_a_cmap_outside_the_fast_subset_is_read_by_pdfminer_itself():
    from io import BytesIO

    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    from budgetaudit.load import pdffonts

    data = b"begincmap 1 beginbfchar <01> <0041> endbfchar \xff endcmap"
    quick = CMapParser(FileUnicodeMap(), BytesIO(data))
    assert not pdffonts.fast(quick)
    quick.run()  # the installed run falls back to pdfminer's parser
    assert quick.cmap.cid2unichr == {1: "A"}


def test_a_page_with_an_inline_image_is_read_by_pdfminer_itself(tmp_path):
    from PIL import Image
    from reportlab.pdfgen import canvas

    path = tmp_path / "inline.pdf"
    page = canvas.Canvas(str(path))
    page.drawInlineImage(Image.new("L", (8, 8), 90), 72, 600, 40, 40)
    page.drawString(72, 700, "Budget 2024")
    page.save()
    assert re.search(rb"(^|\s)BI\s", page_contents(path))  # the fast reader leaves it to pdfminer
    assert [line.text for line in load(path).lines] == ["Budget 2024"]


def page_contents(path: Path) -> bytes:
    """The decoded content streams of all pages."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import list_value, stream_value

    with path.open("rb") as handle:
        return b"".join(stream_value(s).get_data() for page in
                        PDFPage.create_pages(PDFDocument(PDFParser(handle)))
                        for s in list_value(page.contents))


@pytest.mark.parametrize("data", [b"BI /W 1 /H 1 ID \x00 EI", b"[ 1 2", b"{ 1 } ", b"a >"])
def test_syntax_outside_the_fast_subset_is_left_to_pdfminer(data):
    with pytest.raises(Unsupported):
        tokens(data)


# ---------------------------------------------------------------- bad input


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def drawing_only(path: Path, image: bool) -> Path:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    if image:  # a "scan": one grey picture of the page
        from PIL import Image

        page.drawImage(ImageReader(Image.new("L", (60, 80), 200)), 0, 0, 595, 842)
    page.rect(72, 72, 400, 600)
    page.line(72, 300, 472, 300)
    page.save()
    return path


def encrypted(path: Path, user_password: str) -> Path:
    """An encrypted page of Latin text (reportlab leaves the strings of a CID
    font's CIDSystemInfo unencrypted, which readers then decrypt to noise)."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), encrypt=StandardEncryption(user_password, "owner"))
    page.setFont("Helvetica", 12)
    page.drawString(72, 700, "Budget 2024")
    page.save()
    return path


def test_an_encrypted_pdf_is_refused(tmp_path):
    message = error_of(encrypted(tmp_path / "locked.pdf", "secret"))
    assert message.startswith("文件已加密") and message.endswith("(encrypted PDF)")


def test_a_pdf_with_only_an_owner_password_opens_as_any_viewer_opens_it(tmp_path):
    lines = load(encrypted(tmp_path / "owner.pdf", "")).lines
    assert [line.text for line in lines] == ["Budget 2024"]


@pytest.mark.parametrize("share", [0.05, 0.5, 0.999])
def test_a_truncated_pdf_is_reported_corrupt(tmp_path, share):
    data = (SAMPLES / f"{KASHI}.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * share)])
    message = error_of(path)
    assert message.startswith("PDF 文件已损坏") and "(corrupt PDF" in message


def test_garbage_after_the_pdf_header_is_reported_corrupt(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    assert "(corrupt PDF" in error_of(path)


@pytest.mark.parametrize("image", [True, False])
def test_a_pdf_without_text_is_reported_as_scanned(tmp_path, image):
    message = error_of(drawing_only(tmp_path / "scan.pdf", image))
    assert message.endswith("(PDF appears to be scanned: no text layer)")


def test_a_scan_with_a_typed_cover_page_is_reported_as_scanned(tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan-with-cover.pdf"
    page = canvas.Canvas(str(path))
    page.drawString(72, 700, "Budget 2024")
    for _ in range(3):
        page.showPage()
        page.drawImage(ImageReader(Image.new("L", (60, 80), 200)), 0, 0, 595, 842)
    page.save()
    message = error_of(path)
    assert "4 页中 3 页没有文字" in message and message.endswith("no text layer)")


def test_a_page_over_the_time_limit_gives_up_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETAUDIT_LIMIT_PAGE_SECONDS", "1e-9")
    message = error_of(SAMPLES / f"{KASHI}.pdf")
    assert message.startswith("第 1 页处理超时") and "exceeded the time limit" in message


def test_the_time_limit_stops_a_page_while_it_is_read(monkeypatch):
    """The clock is read inside the page too, not only once it is done: the
    page is abandoned before its end is reached."""
    from budgetaudit.load import pdfdevice, pdfstream

    readings = []
    ended = []

    def clock() -> float:  # every look at the clock finds a second gone
        readings.append(None)
        return float(len(readings))

    monkeypatch.setenv("BUDGETAUDIT_LIMIT_PAGE_SECONDS", "2.5")
    monkeypatch.setattr(pdf, "clock", clock)
    monkeypatch.setattr(pdfdevice, "CHECK_EVERY", 1)
    monkeypatch.setattr(pdfstream, "CHECK_EVERY", 1)
    monkeypatch.setattr(pdfdevice.PageRecorder, "end_page", lambda self, page: ended.append(page))
    assert "第 1 页处理超时" in error_of(SAMPLES / f"{KASHI}.pdf")
    assert not ended


runner = CliRunner()


def test_cli_extract_gives_a_one_line_error_and_exit_2(tmp_path):
    result = runner.invoke(app, ["extract", str(encrypted(tmp_path / "locked.pdf", "secret"))])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "(encrypted PDF)" in result.stderr


def test_cli_check_reports_a_bad_pdf_in_a_batch_and_goes_on(tmp_path):
    bad = drawing_only(tmp_path / "scan.pdf", image=True)
    result = runner.invoke(app, ["check", str(SAMPLES / f"{WUQIA}.pdf"), str(bad),
                                 "--format", "json"])
    assert result.exit_code == 2
    documents = json.loads(result.stdout)["documents"]
    assert documents[0]["error"] is None and documents[0]["findings"]
    assert "no text layer" in documents[1]["error"]


def test_cli_check_of_a_pdf_matches_the_text_version_table_findings():
    def table_findings(path: Path):
        result = runner.invoke(app, ["check", str(path), "--format", "json"])
        findings = json.loads(result.stdout)["documents"][0]["findings"]
        return [(f["rule"], f["severity"], f["expected"], f["actual"])
                for f in findings if TABLE_RULES.match(f["rule"])]

    pdf_findings = table_findings(SAMPLES / f"{XINJIANG}.pdf")
    assert pdf_findings and pdf_findings == table_findings(SAMPLES / f"{XINJIANG}.txt")
