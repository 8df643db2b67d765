"""FastTarInfo.frombuf parses every 512-byte block exactly as tarfile.TarInfo.frombuf does."""

from __future__ import annotations

import tarfile

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sphinxext.releasediff.tarheader import FastTarInfo

_ATTRIBUTES = (
    "name",
    "mode",
    "uid",
    "gid",
    "size",
    "mtime",
    "chksum",
    "type",
    "linkname",
    "uname",
    "gname",
    "devmajor",
    "devminor",
)
# (offset, length) of every number field but the checksum.
_NUMBERS = ((100, 8), (108, 8), (116, 8), (124, 12), (136, 12), (329, 8), (337, 8))
_TYPES = [bytes([code]) for code in b"\x000123456789gxLKSAVDMNXaz\xff"]
_ENCODINGS = [
    ("utf-8", "surrogateescape"),
    ("utf-8", "backslashreplace"),
    ("utf-8", "strict"),
    ("ascii", "strict"),
    ("latin-1", "strict"),
]
_NAME_BYTES = st.binary(max_size=100) | st.text("ab/._-\u00e9", max_size=40).map(str.encode)


def _parsed(
    parse: type[tarfile.TarInfo], block: bytes, encoding: str, errors: str
) -> tuple[object, ...] | str:
    try:
        info = parse.frombuf(block, encoding, errors)
    except Exception as exc:  # the class raised is what is compared
        return type(exc).__name__
    sparse = getattr(info, "_sparse_structs", None)
    return (*(getattr(info, name) for name in _ATTRIBUTES), sparse)


_OCTAL_STYLES = ["padded", "spaces", "nul-spaces"]


@st.composite
def _number_field(draw: st.DrawFn, length: int, octal: bool) -> bytes:
    value = draw(st.integers(min_value=0, max_value=8 ** (length - 1) - 1))
    odd_styles = [] if octal else ["base256", "negative", "raw"]
    style = draw(st.sampled_from(_OCTAL_STYLES + odd_styles))
    if style == "padded":
        return b"%0*o\0" % (length - 1, value)
    if style == "spaces":
        return (b" %o " % value).ljust(length, b" ")[:length]
    if style == "nul-spaces":
        return (b"%o\0" % value).rjust(length, b" ")[:length]
    if style == "base256":
        return b"\x80" + value.to_bytes(length - 1, "big")
    if style == "negative":
        return b"\xff" + value.to_bytes(length - 1, "big")
    return draw(st.binary(min_size=length, max_size=length))


def _put(block: bytearray, offset: int, length: int, data: bytes) -> None:
    block[offset : offset + length] = data[:length].ljust(length, b"\0")


def _checksums(block: bytearray) -> tuple[int, int]:
    """Unsigned and signed sums with the checksum field counted as spaces."""
    unsigned = 256 + sum(block[:148]) + sum(block[156:])
    signed = 256 + sum(b - 256 if b > 127 else b for b in block[:148] + block[156:])
    return unsigned, signed


@st.composite
def _headers(draw: st.DrawFn) -> bytes:
    block = bytearray(512)
    _put(block, 0, 100, draw(_NAME_BYTES))
    # Half the headers have octal numbers only, so the fast path is taken often.
    octal = draw(st.booleans())
    for offset, length in _NUMBERS:
        _put(block, offset, length, draw(_number_field(length, octal)))
    block[156:157] = draw(st.sampled_from(_TYPES))
    _put(block, 157, 100, draw(_NAME_BYTES))
    _put(block, 257, 8, draw(st.sampled_from([b"ustar\x0000", b"ustar  \0", b""])))
    _put(block, 265, 32, draw(st.binary(max_size=32)))
    _put(block, 297, 32, draw(st.binary(max_size=32)))
    _put(block, 345, 155, draw(st.sampled_from([b"", b"prefix/dir", b"\xff\xfe"])))
    if block[156:157] == tarfile.GNUTYPE_SPARSE:
        block[386:512] = draw(st.binary(min_size=126, max_size=126))
    for _ in range(draw(st.sampled_from([0, 0, 1, 3]))):
        block[draw(st.integers(min_value=0, max_value=511))] = draw(st.integers(0, 255))
    unsigned, signed = _checksums(block)
    checksum = draw(
        st.sampled_from(
            [b"%06o\0 " % unsigned, b"%06o\0 " % signed, b"%o" % unsigned, b"\x80" + bytes(7)]
        )
        | st.binary(min_size=8, max_size=8)
    )
    _put(block, 148, 8, checksum)
    return bytes(block)


def _stock_header(**fields: object) -> bytes:
    info = tarfile.TarInfo()
    for name, value in fields.items():
        setattr(info, name, value)
    return info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "surrogateescape")


def _v7_folder() -> bytes:
    block = bytearray(_stock_header(name="old/dir/"))
    block[156:157] = tarfile.AREGTYPE
    block[148:156] = b"%06o\0 " % _checksums(block)[0]
    return bytes(block)


@settings(max_examples=1500, deadline=None)
@given(block=_headers(), encoding=st.sampled_from(_ENCODINGS))
@example(block=bytes(512), encoding=_ENCODINGS[0])
@example(block=b"", encoding=_ENCODINGS[0])
@example(block=bytes(100), encoding=_ENCODINGS[0])
@example(block=_stock_header(name="a" * 150 + "/b.py", size=5), encoding=_ENCODINGS[0])
@example(block=_stock_header(name="pkg/", type=tarfile.DIRTYPE), encoding=_ENCODINGS[0])
@example(block=_v7_folder(), encoding=_ENCODINGS[0])
def test_same_result_as_stock_frombuf(block: bytes, encoding: tuple[str, str]) -> None:
    fast = _parsed(FastTarInfo, block, *encoding)
    assert fast == _parsed(tarfile.TarInfo, block, *encoding)


def test_common_header_parsed_without_the_stock_parser() -> None:
    """An ordinary header takes the fast path (the stock parser would also accept it)."""
    block = _stock_header(name="demo-1.0/setup.py", size=1234, mode=0o644, mtime=1_700_000_000)
    info = FastTarInfo._parse_common(block, "utf-8", "surrogateescape")
    assert info is not None
    assert (info.name, info.size, info.mode, info.mtime) == (
        "demo-1.0/setup.py",
        1234,
        0o644,
        1_700_000_000,
    )


def test_prefix_field_joins_the_name() -> None:
    name = "p" * 120 + "/file.py"
    info = FastTarInfo.frombuf(_stock_header(name=name), "utf-8", "strict")
    assert info.name == name
