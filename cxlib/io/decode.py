"""Turn a text export's bytes into UTF-8 with LF line ends, keeping track of undecodable bytes.

Method:

- A byte-order mark decides: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE.
- UTF-16 without a BOM is recognised from its NUL bytes: text that is mostly ASCII has a NUL in
  every other byte (odd positions: little endian, even: big endian). Other NUL bytes mean a
  binary file, which is refused.
- ``auto`` without a BOM: ASCII and valid UTF-8 are UTF-8. A file that does not decode as UTF-8
  is decoded *per line*: when it holds valid multi-byte UTF-8 anywhere, it is a UTF-8 file and
  the lines with other bytes (Latin-1, cp1252) are reported; otherwise it is a cp1252 file
  (Windows Excel) and only bytes cp1252 leaves undefined are reported. A mixed file is never
  turned into mojibake as a whole.
- Undecodable bytes are replaced by U+FFFD in the buffer and their positions returned, so the
  reader can reject the records that hold them (``Decoded.bad``) and show the bytes as ``\\xNN``.
- CRLF and a lone CR end a line like LF; they become LF (also inside quoted fields).

Reference: Unicode 15, section 3.9 (UTF-8 well-formedness; U+DC80..U+DCFF as Python's
``surrogateescape`` stand-ins for undecodable bytes, PEP 383).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import numpy as np

from cxlib.io.errors import SourceError

__all__ = ["Decoded", "decode", "sniff_kind", "utf16_without_bom"]

_NONASCII_VALID = re.compile("[\u0080-\ud7ff\ue000-\U0010ffff]")
"""A decoded character that came from valid multi-byte UTF-8 (not a surrogateescape stand-in)."""
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_REPLACEMENT = np.frombuffer("\ufffd".encode(), np.uint8)


@dataclass
class Decoded:
    """A text file as UTF-8 bytes with LF line ends.

    ``bad`` holds the byte offsets in ``buf`` of undecodable bytes (each now U+FFFD, three
    bytes) and ``bad_bytes`` the original byte values; ``expected`` names the encoding the
    rest of the file was read with, for the messages.
    """

    buf: bytes
    encoding: str
    expected: str
    bad: np.ndarray = field(default_factory=lambda: np.array([], np.int64))
    bad_bytes: np.ndarray = field(default_factory=lambda: np.array([], np.uint8))


def sniff_kind(raw: bytes) -> str:
    """What a file is by its first bytes: ``parquet``, ``xlsx``, ``xls``, ``zip``, ``pdf`` or ``text``."""
    if raw.startswith(b"PAR1"):
        return "parquet"
    if raw.startswith(b"PK\x03\x04"):
        return "xlsx" if b"xl/" in raw[:65536] or b"[Content_Types].xml" in raw[:65536] else "zip"
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if raw.startswith(b"%PDF"):
        return "pdf"
    return "text"


def utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NUL bytes sit in every other byte, else None.

    Looks at the first 64 KiB: at least 30% NULs in one byte lane and under 5% in the other
    (mostly-ASCII text in UTF-16 has NUL high bytes; Latin letters keep it well over 30%).
    """
    head = np.frombuffer(raw[: 65536 - (min(len(raw), 65536) % 2)], np.uint8)
    if head.size < 4:
        return None
    even, odd = (head[0::2] == 0).mean(), (head[1::2] == 0).mean()
    if odd >= 0.3 and even < 0.05:
        return "utf-16-le"
    if even >= 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def decode(raw: bytes, file, encoding: str = "auto") -> Decoded:
    """The file's bytes as UTF-8 with LF line ends (see the module docstring).

    Raises SourceError for a binary file (NUL bytes that are not UTF-16) and for text in a
    wide encoding (UTF-16/32) that does not decode; other undecodable bytes are returned in
    ``Decoded.bad`` for the reader to reject their records.
    """
    named = encoding != "auto"
    if named and _same(encoding, "utf-8-sig"):
        encoding = "utf-8"
    for bom, enc in _BOMS:
        if raw.startswith(bom) and (
            not named or _same(encoding, enc) or (_same(encoding, "utf-16") and enc.startswith("utf-16"))
        ):
            raw, encoding, named = raw[len(bom) :], enc, True
            break
    if not named and b"\x00" in raw:
        encoding, named = utf16_without_bom(raw) or "auto", True
        if encoding == "auto":
            _refuse_nul(raw, file, "UTF-8 or cp1252 text")
    if not named or _same(encoding, "utf-8"):
        if raw.isascii() or _valid_utf8(raw):
            return Decoded(_lf(raw), "utf-8", "UTF-8 text")
        text = raw.decode("utf-8", "surrogateescape")
        if named or _NONASCII_VALID.search(text):
            return _with_bad(text, file, "utf-8", "UTF-8 text, as the rest of the file")
        encoding = "cp1252"  # no valid UTF-8 anywhere: a Windows (Excel) export
    enc = codecs.lookup(encoding).name
    label = "cp1252 text" if enc == "cp1252" else f"{encoding} text"
    if enc.startswith(("utf-16", "utf-32")):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].decode(enc, "replace").count("\n") + 1
            raise SourceError(
                file, f"bytes at offset {exc.start} cannot be decoded as {enc}", label, line=line
            ) from None
        return _with_bad(text, file, enc, label)
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        text = raw.decode(enc, "surrogateescape")
    return _with_bad(text, file, enc, label)


def _same(a: str, b: str) -> bool:
    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return False


def _valid_utf8(raw: bytes) -> bool:
    """True for valid UTF-8, checked by Arrow over the bytes in place (no decoded copy)."""
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(raw)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _lf(buf: bytes) -> bytes:
    if b"\r" in buf:
        buf = buf.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return buf


def _refuse_nul(raw: bytes, file, expected: str) -> None:
    """SourceError naming the line and, as far as the header tells, the column of a NUL byte."""
    pos = raw.find(b"\x00")
    line_start = raw.rfind(b"\n", 0, pos) + 1
    header = raw.split(b"\n", 1)[0]
    counts = {d: header.count(d) for d in (b",", b";", b"\t", b"|")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else b","
    names = header.decode("latin-1").strip().split(delimiter.decode())
    index = raw[line_start:pos].count(delimiter)
    column = names[index].strip().strip('"') if index < len(names) and line_start else None
    raise SourceError(
        file,
        "contains NUL bytes (a binary file?)",
        f"a CSV file of {expected}",
        line=raw.count(b"\n", 0, pos) + 1,
        column=column,
    )


def _with_bad(text: str, file, encoding: str, expected: str) -> Decoded:
    """UTF-8 bytes of ``text``; surrogateescape stand-ins become U+FFFD, positions kept."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        _refuse_nul(text.encode("utf-8", "surrogatepass"), file, expected)
    buf = text.encode("utf-8", "surrogatepass")
    arr = np.frombuffer(buf, np.uint8)
    # U+DC80..U+DCFF encode as ED B2 80 .. ED B3 BF; valid UTF-8 never has ED followed by A0..BF
    if arr.size < 3:
        return Decoded(buf, encoding, expected)
    lead = np.flatnonzero((arr[:-2] == 0xED) & ((arr[1:-1] & 0xFE) == 0xB2))
    if not lead.size:
        return Decoded(buf, encoding, expected)
    values = (((arr[lead + 1] & 0x01).astype(np.uint16) << 6) | (arr[lead + 2] & 0x3F)) + 0x80
    fixed = arr.copy()
    fixed[lead] = _REPLACEMENT[0]
    fixed[lead + 1] = _REPLACEMENT[1]
    fixed[lead + 2] = _REPLACEMENT[2]
    return Decoded(fixed.tobytes(), encoding, expected, lead.astype(np.int64), values.astype(np.uint8))
