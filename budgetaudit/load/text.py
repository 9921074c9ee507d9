"""Load a plain-text disclosure into a Document, whatever encoding it was saved in.

Budget offices save text in UTF-8, in UTF-16 (Windows "Unicode") with or without
a BOM, or in GBK/GB2312; we recognise these by their bytes instead of depending
on a general-purpose detector, because the set of encodings is small and known.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from budgetaudit.load.files import read_regular, shown
from budgetaudit.model import Document, InputError, Line

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_LE_BOM = b"\xff\xfe"
UTF16_BE_BOM = b"\xfe\xff"

# Line breaks we split on; str.splitlines() would also split on \f (page breaks
# in converted PDFs) and other separators that belong inside a line.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Control characters that never occur in text; \t, \n, \r and \f (page break) do.
STRAY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
STRAY_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01
# Share of the NUL bytes that must sit on one byte parity for BOM-less UTF-16:
# ASCII characters encode as XX 00 (LE) or 00 XX (BE), CJK ones mostly without NUL.
UTF16_NUL_PARITY = 0.9
# Real Chinese text uses GB2312's common characters almost exclusively; bytes
# that merely happen to decode as GB18030 land there only about a third of the time.
MIN_COMMON_HANZI_SHARE = 0.8


def load_text(path: str | Path) -> Document:
    """Read a text file, decode it and split it into numbered lines."""
    path = Path(path)
    data = read_input_bytes(path)
    text, encoding = decode(data, path)
    if not text.strip():
        raise InputError(f"文件为空（只有空白字符）：{shown(path)} (file is empty)")
    if looks_binary(text):
        raise InputError(f"疑似二进制文件，不是文本：{shown(path)} (binary file)")
    lines = split_lines(text)
    check_line_length(lines, path)
    return Document(path=str(path), lines=lines, encoding=encoding, source="text")


def check_line_length(lines, path: Path) -> None:
    """A line longer than the limit is refused: no disclosure prints one."""
    from budgetaudit.limits import current, exceeded

    if lines and max(len(line.text) for line in lines) > current().line_chars:
        raise exceeded(path, "line_chars")


def read_input_bytes(path: Path) -> bytes:
    """The file's bytes, or an InputError saying why they cannot be had."""
    from budgetaudit.limits import MB, current

    data = read_regular(path, int(current().file_mb * MB), "file_mb")
    if not data:
        raise InputError(f"文件为空：{shown(path)} (file is empty)")
    return data


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decoded text and the name of the encoding that produced it."""
    if data.startswith(UTF8_BOM):
        return decode_with_bom(data, "utf-8-sig", path), "utf-8-sig"
    if data.startswith((UTF16_LE_BOM, UTF16_BE_BOM)):
        return decode_with_bom(data, "utf-16", path), "utf-16"
    if b"\x00" in data:
        text = try_bomless_utf16(data)
        if text is None:
            raise InputError(f"疑似二进制文件，含有 NUL 字节：{shown(path)} (binary file)")
        return text, "utf-16"
    return decode_8bit(data, path)


def decode_with_bom(data: bytes, codec: str, path: Path) -> str:
    try:
        return data.decode(codec)  # both codecs drop the BOM
    except UnicodeDecodeError:
        raise InputError(
            f"无法识别文件编码（带 BOM 但按 {codec} 解码失败）：{shown(path)} "
            f"(unknown encoding: invalid {codec} data)"
        ) from None


def decode_8bit(data: bytes, path: Path) -> tuple[str, str]:
    """UTF-8, else GB18030 (a superset of GBK and GB2312) if it reads as Chinese."""
    # Control bytes never occur inside UTF-8 or GB18030 multi-byte sequences, so
    # counting them on the raw bytes tells binary data apart before any decoding.
    if len(STRAY_CONTROL_BYTES.findall(data)) > MAX_CONTROL_SHARE * len(data):
        raise InputError(f"疑似二进制文件，不是文本：{shown(path)} (binary file)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = try_gb18030(data)
    if text is None:
        raise InputError(
            f"无法识别文件编码：{shown(path)} (unknown encoding; expected UTF-8, UTF-16 or GB18030)"
        )
    return text, "gb18030"


def try_bomless_utf16(data: bytes) -> str | None:
    """The text when the NUL bytes are UTF-16's and the bytes decode as such;
    None means the NULs belong to binary data."""
    codec = bomless_utf16_codec(data)
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def bomless_utf16_codec(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes fall as UTF-16 puts them."""
    if len(data) % 2:
        return None
    odd_nuls = data[1::2].count(0)
    even_nuls = data[0::2].count(0)
    total = odd_nuls + even_nuls
    if odd_nuls >= UTF16_NUL_PARITY * total:
        return "utf-16-le"
    if even_nuls >= UTF16_NUL_PARITY * total:
        return "utf-16-be"
    return None


def try_gb18030(data: bytes) -> str | None:
    """The text decoded as GB18030 if it decodes cleanly and reads as Chinese."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if looks_chinese(text) else None


def looks_chinese(text: str) -> bool:
    # Count per distinct character: a document repeats a few thousand of them.
    non_ascii = {char: n for char, n in Counter(text).items() if ord(char) > 0x7F}
    total = sum(non_ascii.values())
    common = sum(n for char, n in non_ascii.items() if is_gb2312(char))
    return common >= MIN_COMMON_HANZI_SHARE * total


def is_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def looks_binary(text: str) -> bool:
    controls = len(STRAY_CONTROL.findall(text))
    return controls > MAX_CONTROL_SHARE * len(text)


def split_lines(text: str) -> tuple[Line, ...]:
    """Numbered lines; a final line break does not start an extra empty line."""
    pieces = LINE_BREAK.split(text)
    if len(pieces) > 1 and pieces[-1] == "":
        pieces.pop()
    return tuple(Line(number=index, text=piece) for index, piece in enumerate(pieces, 1))
