"""Drawing skylines."""

from .utils import clamp

HEIGHTS = {
    "lisbon": [2, 3, 5, 3, 4, 2, 6, 3],
    "porto": [3, 4, 4, 6, 2, 3, 3, 5],
    "tokyo": [5, 7, 9, 6, 8, 7, 9, 5],
}


def heights(city):
    """The building heights of a city, clamped to 1..9."""
    return [clamp(h, 1, 9) for h in HEIGHTS[city]]


def column(height, top):
    """One building as a column of characters, from the top row down."""
    rows = []
    for row in range(top, 0, -1):
        if row > height:
            rows.append(" ")
        elif row == height:
            rows.append("^")
        else:
            rows.append("#")
    return rows


def draw(city):
    """The skyline of a city as lines of text."""
    values = heights(city)
    top = max(values)
    columns = [column(h, top) for h in values]
    lines = []
    for index in range(top):
        lines.append("".join(col[index] for col in columns))
    lines.append("=" * len(values))
    return "\n".join(lines)
