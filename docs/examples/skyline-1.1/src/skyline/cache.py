"""A cache of drawn skylines, kept in the user's cache folder."""

from pathlib import Path

from platformdirs import user_cache_dir


def cache_path(city):
    return Path(user_cache_dir("skyline")) / f"{city}.txt"


def cached(city, draw):
    path = cache_path(city)
    if path.exists():
        return path.read_text()
    text = draw(city)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return text
