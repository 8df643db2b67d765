"""FastTarInfo.frombuf parses every 512-byte block exactly as tarfile.TarInfo.frombuf does."""

from __future__ import annotations

import io
import tarfile

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sphinxext.releasediff.tarheader import FastTarInfo, _plain_pax_records

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
    again = _parsed(FastTarInfo, block, *encoding)  # a PAX header block: the copy
    assert fast == again == _parsed(tarfile.TarInfo, block, *encoding)


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


def test_a_recurring_pax_header_block_is_a_fresh_copy() -> None:
    block = _stock_header(name="././@PaxHeader", type=tarfile.XHDTYPE, size=27)
    first = FastTarInfo.frombuf(block, "utf-8", "strict")
    second = FastTarInfo.frombuf(block, "utf-8", "strict")
    assert second is not first
    assert _parsed(FastTarInfo, block, "utf-8", "strict") == _parsed(
        tarfile.TarInfo, block, "utf-8", "strict"
    )
    assert (second.name, second.size, second.type) == ("././@PaxHeader", 27, tarfile.XHDTYPE)


def test_prefix_field_joins_the_name() -> None:
    name = "p" * 120 + "/file.py"
    info = FastTarInfo.frombuf(_stock_header(name=name), "utf-8", "strict")
    assert info.name == name


# Whole archives with PAX headers: every member FastTarInfo reads, and how reading
# ends, are what tarfile.TarInfo gives on the same bytes.

_MEMBER_ATTRIBUTES = (*_ATTRIBUTES, "offset", "offset_data", "pax_headers", "sparse")


def _members(parse: type[tarfile.TarInfo], data: bytes, encoding: tuple[str, str]) -> list[object]:
    """Each member's attributes in order, then the class of the error that ended it, if any."""
    read: list[object] = []
    try:
        with tarfile.open(
            fileobj=io.BytesIO(data),
            mode="r:",
            tarinfo=parse,
            encoding=encoding[0],
            errors=encoding[1],
        ) as tar:
            while (info := tar.next()) is not None:
                read.append(tuple(getattr(info, name) for name in _MEMBER_ATTRIBUTES))
    except Exception as exc:  # the class raised is what is compared
        read.append(type(exc).__name__)
    return read


def _assert_read_alike(data: bytes, encoding: tuple[str, str] = _ENCODINGS[0]) -> None:
    fast = _members(FastTarInfo, data, encoding)
    assert fast == _members(tarfile.TarInfo, data, encoding)


_NAME_TEXT = st.text(
    st.sampled_from("ab/._-é\u00fc\u4e2d\U0001f600 \\\x7f"), min_size=1, max_size=30
)
_TAR_TYPES = [tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE]


@st.composite
def _pax_member(draw: st.DrawFn) -> tuple[tarfile.TarInfo, bytes]:
    """A member as tarfile writes it in PAX format: long and non-ASCII names, trailing
    slashes, fractional mtimes, numbers too big for the ustar fields."""
    name = draw(_NAME_TEXT) * draw(st.sampled_from([1, 1, 5, 20]))
    info = tarfile.TarInfo(name + draw(st.sampled_from(["", "", "/", "//"])))
    info.type = draw(st.sampled_from(_TAR_TYPES))
    info.linkname = draw(_NAME_TEXT) * draw(st.sampled_from([1, 8])) if info.issym() else ""
    info.mtime = draw(
        st.integers(min_value=0, max_value=2**40)
        | st.floats(min_value=0, max_value=2e10, allow_nan=False)
    )
    info.uid = draw(st.integers(min_value=0, max_value=2**40))
    info.gid = draw(st.integers(min_value=0, max_value=8**7 - 1))
    info.uname = draw(st.sampled_from(["", "root", "j\u00fcrgen", "u" * 40]))
    data = draw(st.binary(max_size=600)) if info.isreg() else b""
    info.size = len(data)
    info.pax_headers = draw(
        st.dictionaries(
            st.sampled_from(["comment", "atime", "ctime", "size", "mtime", "uid", "path"]),
            st.sampled_from(["", "0", "12", "1.5", "x", "\u00e9t\u00e9", "99999999999999"]),
            max_size=2,
        )
    )
    return info, data


def _written(members: list[tuple[tarfile.TarInfo, bytes]], encoding: str = "utf-8") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(
        fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT, encoding=encoding
    ) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@settings(max_examples=400, deadline=None)
@given(members=st.lists(_pax_member(), min_size=1, max_size=6))
def test_pax_archives_read_as_stock(members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    _assert_read_alike(_written(members))


def _record(key: bytes, value: bytes) -> bytes:
    """A PAX record with its length right: the length counts its own digits."""
    body = b" " + key + b"=" + value + b"\n"
    length = len(body) + 1
    while len(b"%d" % length) + len(body) != length:
        length += 1
    return b"%d" % length + body


_ODD_RECORDS = [
    b"0 path=x\n",  # zero length
    b"3 a=\n",  # shorter than the shortest record
    b"99999999 path=x\n",  # longer than the header
    b"0" * 20 + b"30 path=a\n",  # more than 20 digits
    b"0" * 18 + b"30 path=abc\n",  # 20 digits
    b"0013 path=abc\n",  # leading zeros
    b"12 pathabcde\n",  # no '='
    b"8 mtime\n" + _record(b"uid", b"5"),  # no '=' in the record, one after it
    b"12 path=abcd\x00",  # not ended by a newline
    b"13 path=abcd\n",  # one too long: swallows the next byte
    b"11 path=abcd\n",  # one too short
    b"x2 path=abcd\n",  # not a number
    b"12path=abcde\n",  # no space
    b" 12 path=abc\n",
    b"\xd9\xa1\xd9\xa2 path=abc\n",  # Arabic-Indic digits
    _record(b"hdrcharset", b"BINARY"),
    _record(b"hdrcharset", b"ISO-IR 10646 2000 UTF-8"),
    _record(b"comment", b"x\n9 hdrcharset=BINARY\n"),  # found by tarfile's old search
    _record(b"path", b"caf\xe9"),  # not UTF-8
    _record(b"uname", b"\xff"),
    _record(b"comment", b"\xfe"),
    _record(b"caf\xe9", b"x"),  # key not UTF-8
    _record(b"GNU.sparse.size", b"100"),
    _record(b"GNU.sparse.map", b"0,10"),
    _record(b"GNU.sparse.major", b"1") + _record(b"GNU.sparse.minor", b"0"),
    _record(b"GNU.sparse.name", b"sparse-name"),
    _record(b"SCHILY.xattr.user.x", b"y"),
    _record(b"linkpath", b"target/" * 30),
    _record(b"path", b"dir/"),
    _record(b"size", b"-5"),
    _record(b"size", b"1e3"),
    _record(b"mtime", b"1.5e9"),
    _record(b"uid", b" 7 "),
    _record(b"path", b""),
    b"junk",
    b"9junk",
]
_PLAIN_RECORDS = [
    _record(b"path", b"demo-1.0/" + b"long-name/" * 15 + b"\xc3\xa9t\xc3\xa9.py"),
    _record(b"mtime", b"1723037165.228657"),
    _record(b"mtime", b"1707995822.0"),
    _record(b"size", b"3"),
    _record(b"uid", b"4294967296"),
    _record(b"gname", b"staff"),
    _record(b"comment", b"=\n="),
]


def _header(kind: bytes, name: str, size: int, **fields: object) -> bytes:
    info = tarfile.TarInfo(name)
    info.type, info.size = kind, size
    for field, value in fields.items():
        setattr(info, field, value)
    return info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "surrogateescape")


def _padded(data: bytes) -> bytes:
    return data + bytes(-len(data) % tarfile.BLOCKSIZE)


@st.composite
def _hand_made_pax(draw: st.DrawFn) -> bytes:
    """An 'x' (or 'g', or Solaris 'X') header over records, some of them malformed,
    then the member they describe and an ordinary one."""
    records = b"".join(
        draw(st.lists(st.sampled_from(_PLAIN_RECORDS) | st.sampled_from(_ODD_RECORDS), max_size=4))
    )
    declared = len(records) + draw(st.sampled_from([0, 0, 0, -1, 1, 600]))
    after = draw(st.sampled_from([b"", b"", b"\n", b"7 a=b\n", b"\x00junk"]))
    kind = draw(st.sampled_from([tarfile.XHDTYPE] * 4 + [tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE]))
    data = _header(kind, "././@PaxHeader", max(declared, 0)) + _padded(records + after)
    member_kind = draw(st.sampled_from([tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE]))
    member_name = draw(st.sampled_from(["demo/a.py", "demo/dir/", "x" * 99]))
    data += _header(member_kind, member_name, 3) + _padded(b"abc")
    data += _header(tarfile.REGTYPE, "demo/b.py", 2) + _padded(b"hi")
    return data + bytes(2 * tarfile.BLOCKSIZE) if draw(st.booleans()) else data


@settings(max_examples=1500, deadline=None)
@given(data=_hand_made_pax(), encoding=st.sampled_from(_ENCODINGS))
def test_hand_made_pax_headers_read_as_stock(data: bytes, encoding: tuple[str, str]) -> None:
    _assert_read_alike(data, encoding)


@pytest.mark.parametrize("record", _ODD_RECORDS + _PLAIN_RECORDS)
def test_each_pax_record_read_as_stock(record: bytes) -> None:
    data = _header(tarfile.XHDTYPE, "././@PaxHeader", len(record)) + _padded(record)
    data += _header(tarfile.REGTYPE, "demo/a.py", 3) + _padded(b"abc") + bytes(1024)
    _assert_read_alike(data)
    _assert_read_alike(data, ("latin-1", "surrogateescape"))


def test_global_header_then_extended_ones_read_as_stock() -> None:
    records = _record(b"uname", b"global") + _record(b"mtime", b"5")
    data = _header(tarfile.XGLTYPE, "././@PaxHeader", len(records)) + _padded(records)
    members = [(tarfile.TarInfo("demo/" + "n" * 120), b"")]
    data += _written(members)
    _assert_read_alike(data)


def test_plain_pax_header_read_without_the_stock_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records as tarfile and setuptools write them take the fast path."""
    info = tarfile.TarInfo("demo-1.0/" + "long/" * 30 + "\u00e9.py")
    info.mtime, info.size = 1_723_037_165.228657, 3
    data = _written([(info, b"abc")])

    def refuse(*_args: object) -> None:
        raise AssertionError("the stock _proc_pax was called")

    monkeypatch.setattr(tarfile.TarInfo, "_proc_pax", refuse)
    with tarfile.open(fileobj=io.BytesIO(data), tarinfo=FastTarInfo) as tar:
        (member,) = tar.getmembers()
    assert (member.name, member.mtime, member.size) == (info.name, info.mtime, 3)
    assert member.pax_headers == {"path": info.name, "mtime": "1723037165.228657"}


def test_odd_pax_header_read_again_by_the_stock_parser() -> None:
    """A header the fast path does not take is read by tarfile from its start."""
    records = _record(b"hdrcharset", b"BINARY") + _record(b"path", b"caf\xe9.py")
    data = _header(tarfile.XHDTYPE, "././@PaxHeader", len(records)) + _padded(records)
    data += _header(tarfile.REGTYPE, "ignored", 0) + bytes(1024)
    with tarfile.open(
        fileobj=io.BytesIO(data), tarinfo=FastTarInfo, errors="surrogateescape"
    ) as tar:
        (member,) = tar.getmembers()
    assert member.name == "caf\udce9.py"
    assert member.pax_headers == {"hdrcharset": "BINARY", "path": "caf\udce9.py"}


# Framing that Python 3.11.10's tarfile refuses and earlier ones read: the fast
# path leaves it to the running tarfile, whichever that is.
_FRAMING_BY_VERSION = [
    b"12 path=abcd\x00",  # not ended by a newline
    b"0" * 20 + b"30 path=a\n",  # 22 digits
    b"3 a=\n",
    b"9 path=abc\n",  # declares more than there is
    b"8 mtime\n" + _record(b"uid", b"5"),
    _record(b"path", b"x") + b"junk",  # not NUL after the records
]


@pytest.mark.parametrize("records", _FRAMING_BY_VERSION)
def test_framing_that_tarfile_versions_differ_on_is_left_to_tarfile(records: bytes) -> None:
    assert _plain_pax_records(_padded(records)) is None


def test_plain_records_parsed() -> None:
    records = _record(b"path", b"caf\xc3\xa9") + _record(b"mtime", b"1.5") + _record(b"path", b"b")
    assert _plain_pax_records(_padded(records)) == {"path": "b", "mtime": "1.5"}
    assert _plain_pax_records(records) == {"path": "b", "mtime": "1.5"}
    assert _plain_pax_records(b"") == {}
