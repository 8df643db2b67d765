"""How a long signature or value is shown: cut, and where two sides differ, at the difference.

Texts are compared and written to JSON whole; the formatters for readers show
at most :data:`MAX_TEXT` characters of each. Cut at the same place, a
change past the cut would show two identical lines (rich 13.8's ``Column``
gained a field at its 600th character): then each side keeps its start and a
window from a little before the first difference, with ``…`` where text is
left out.
"""

from __future__ import annotations

__all__ = ["MAX_TEXT", "shown_pair"]

# Signatures and values longer than this are cut, with an ellipsis, where they are shown.
MAX_TEXT = 300
# Characters kept from the start, and before the first difference, when the cut would hide it.
_HEAD = 100
_BEFORE = 40
# A difference this near the cut is moved into view as well.
_AFTER = 20
_CUT = "…"


def shown_pair(old: str | None, new: str | None) -> tuple[str | None, str | None]:
    """The old and new texts as shown, each at most MAX_TEXT characters long."""
    if old is None or new is None:
        return _clipped(old), _clipped(new)
    first = _first_difference(old, new)
    if first + _AFTER < MAX_TEXT - len(_CUT):
        return _clipped(old), _clipped(new)
    return _window(old, first), _window(new, first)


def _first_difference(old: str, new: str) -> int:
    return next(
        (index for index, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )


def _clipped(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_TEXT:
        return text
    return text[: MAX_TEXT - len(_CUT)] + _CUT


def _window(text: str, first: int) -> str:
    """The start, then from a little before ``first``, as much as MAX_TEXT leaves room for;
    each piece starts and ends between words where one is near (``…, headers: ...``, not
    ``…r | None``)."""
    if len(text) <= MAX_TEXT:
        return text
    head = _HEAD - _back_to_boundary(text, _HEAD)
    start = first - _BEFORE
    start -= _back_to_boundary(text, start)
    room = MAX_TEXT - head - 2 * len(_CUT)
    end = start + room
    if end < len(text):
        end -= _back_to_boundary(text, end)
    tail = _CUT if end < len(text) else ""
    return f"{text[:head]}{_CUT}{text[start:end]}{tail}"


# How far a cut moves back to fall between words, at most.
_BACK = 20
_BETWEEN_WORDS = frozenset(" ,([{|=")


def _back_to_boundary(text: str, at: int) -> int:
    """How many characters before ``at`` the nearest word break is (0: none near)."""
    for back in range(min(_BACK, at)):
        if text[at - back - 1] in _BETWEEN_WORDS:
            return back
    return 0
