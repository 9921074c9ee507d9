"""Loading text in every encoding budget offices save in, and rejecting non-text."""
from pathlib import Path

import pytest

from budgetaudit.load import load
from budgetaudit.load.text import load_text
from budgetaudit.model import InputError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
KASHI = SAMPLES / "kashi-city-gov-office-2024.txt"
XINJIANG = SAMPLES / "xinjiang-gov-general-office-2024.txt"


def texts(doc):
    return [line.text for line in doc.lines]


@pytest.fixture(scope="module")
def original():
    return load_text(XINJIANG)


@pytest.fixture(scope="module")
def original_text():
    return XINJIANG.read_text(encoding="utf-8")


def test_sample_loads_as_utf8(original):
    assert original.encoding == "utf-8"
    assert original.source == "text"
    assert original.path == str(XINJIANG)
    # 1021 lines: the file has no final newline (cat -n shows 1021).
    assert len(original.lines) == 1021
    assert [line.number for line in original.lines[:3]] == [1, 2, 3]
    assert original.line(3).text == "新疆维吾尔自治区人民政府办公厅"
    assert original.line(5).text == "2024 年部门预算公开"


def test_lines_keep_tabs_and_have_no_line_breaks(original):
    assert original.line(111).text == "收入\t\t支出\t"
    assert not any("\n" in t or "\r" in t for t in texts(original))


ENCODINGS = {
    "gb18030": (lambda text: text.encode("gb18030"), "gb18030"),
    "gbk": (lambda text: text.encode("gbk"), "gb18030"),
    "utf-16-le-bom": (lambda text: b"\xff\xfe" + text.encode("utf-16-le"), "utf-16"),
    "utf-16-be-bom": (lambda text: b"\xfe\xff" + text.encode("utf-16-be"), "utf-16"),
    "utf-16-le-no-bom": (lambda text: text.encode("utf-16-le"), "utf-16"),
    "utf-16-be-no-bom": (lambda text: text.encode("utf-16-be"), "utf-16"),
    "utf-8-bom": (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"),
    "crlf": (lambda text: text.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    "cr": (lambda text: text.replace("\n", "\r").encode("utf-8"), "utf-8"),
    "gb18030-crlf": (lambda text: text.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_reencoded_copy_gives_identical_lines(tmp_path, original, original_text, name):
    encode, expected_encoding = ENCODINGS[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(encode(original_text))
    doc = load_text(path)
    assert doc.encoding == expected_encoding
    assert texts(doc) == texts(original)


def test_trailing_newline_does_not_add_a_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("第一行\r\n第二行\r\n".encode("utf-8"))
    assert texts(load_text(path)) == ["第一行", "第二行"]


def test_mixed_line_endings_and_blank_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("一\r\n\r\n二\r三\n\n四".encode("utf-8"))
    assert texts(load_text(path)) == ["一", "", "二", "三", "", "四"]


def test_form_feed_stays_inside_the_line(tmp_path):
    # pdftotext marks page breaks with \f; it must not start a new line.
    path = tmp_path / "a.txt"
    path.write_bytes("第一页\n\f第二页\n".encode("utf-8"))
    assert texts(load_text(path)) == ["第一页", "\f第二页"]


def test_load_dispatches_text_files_to_load_text(original):
    assert texts(load(XINJIANG)) == texts(original)
    assert load(KASHI).line(4).text == "2024 年部门预算公开"


# ------------------------------------------------------------------ errors


def error_message(path, loader=load_text) -> str:
    with pytest.raises(InputError) as caught:
        loader(path)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    return message


def test_missing_file(tmp_path):
    message = error_message(tmp_path / "missing.txt")
    assert message.startswith("文件不存在")
    assert "(file not found)" in message
    assert "missing.txt" in message


def test_directory(tmp_path):
    message = error_message(tmp_path)
    assert "目录" in message and "(path is a directory)" in message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "(file is empty)" in error_message(path)


@pytest.mark.parametrize(
    "data", [b"   \n\t\r\n  ", "\u3000\n".encode("utf-8"), b"\xef\xbb\xbf", b"\xff\xfe"]
)
def test_whitespace_only_file_is_empty(tmp_path, data):
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    message = error_message(path)
    assert message.startswith("文件为空") and "(file is empty)" in message


def test_nul_bytes_in_utf8_text_mean_binary(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(KASHI.read_bytes()[:3000] + b"\x00\x01abc")
    assert "(binary file)" in error_message(path)


def test_binary_with_nul_bytes_on_one_parity_is_not_utf16(tmp_path):
    # Every 256th byte is NUL, all on even offsets: shaped like UTF-16 BE, but
    # it does not decode as such.
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(256)) * 8)
    assert "(binary file)" in error_message(path)


def test_many_control_characters_mean_binary(tmp_path):
    path = tmp_path / "ctrl.txt"
    path.write_bytes(b"abc\x01\x02\x03def\x1b\x7f" * 50)
    message = error_message(path)
    assert message.startswith("疑似二进制文件") and "(binary file)" in message


def test_latin1_text_is_unknown_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Café, naïve façade\n".encode("latin-1"))
    message = error_message(path)
    assert message.startswith("无法识别文件编码") and "unknown encoding" in message


def test_gb18030_decodable_but_not_chinese_is_unknown_encoding(tmp_path):
    # Pairs from GBK's rare-character area decode cleanly but are not text.
    data = bytes(b for i in range(3000) for b in (0x81 + i % 32, 0x40 + i % 63))
    assert data.decode("gb18030")
    path = tmp_path / "rare.txt"
    path.write_bytes(data)
    assert "unknown encoding" in error_message(path)


def test_utf8_bom_with_invalid_utf8_is_unknown_encoding(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "预算".encode("gb18030"))
    assert "unknown encoding" in error_message(path)


# ------------------------------------------------------------------ PDF dispatch


def test_pdf_suffix_goes_to_the_pdf_loader():
    document = load(SAMPLES / "kashi-city-gov-office-2024.pdf")
    assert document.source == "pdf" and document.lines[0].page == 1


def test_pdf_detected_by_magic_bytes_whatever_the_suffix(tmp_path):
    path = tmp_path / "renamed.txt"
    path.write_bytes((SAMPLES / "kashi-city-gov-office-2024.pdf").read_bytes()[:4096])
    assert "(corrupt PDF" in error_message(path, loader=load)


def test_missing_pdf_reports_file_not_found(tmp_path):
    assert "(file not found)" in error_message(tmp_path / "missing.pdf", loader=load)


def test_path_with_newline_keeps_message_on_one_line(tmp_path):
    path = tmp_path / "odd\nname.txt"
    path.write_bytes(b"")
    error_message(path, loader=load)
