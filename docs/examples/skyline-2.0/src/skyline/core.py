"""Drawing skylines, with roofs and windows."""

from dataclasses import dataclass

HEIGHTS = {
    "lisbon": [2, 3, 5, 3, 4, 2, 6, 3],
    "porto": [3, 4, 4, 6, 2, 3, 3, 5],
    "tokyo": [5, 7, 9, 6, 8, 7, 9, 5],
    "reykjavik": [1, 2, 2, 3, 1, 2, 4, 1],
}
MAX_HEIGHT = 9


@dataclass(frozen=True)
class Style:
    roof: str = "^"
    wall: str = "#"
    window: str = "o"
    ground: str = "="


def heights(city):
    """The building heights of a city, kept within 1..MAX_HEIGHT."""
    try:
        values = HEIGHTS[city.lower()]
    except KeyError:
        raise ValueError(f"unknown city: {city}") from None
    return [max(1, min(h, MAX_HEIGHT)) for h in values]


def column(height, top, style):
    """One building as a column of characters, from the top row down."""
    rows = []
    for row in range(top, 0, -1):
        if row > height:
            rows.append(" ")
        elif row == height:
            rows.append(style.roof)
        elif row % 2 == 0:
            rows.append(style.window)
        else:
            rows.append(style.wall)
    return rows


def draw(city, style=Style()):
    """The skyline of a city as lines of text."""
    values = heights(city)
    top = max(values)
    columns = [column(h, top, style) for h in values]
    lines = ["".join(col[index] for col in columns) for index in range(top)]
    lines.append(style.ground * len(values))
    return "\n".join(lines)
