import argparse

from ..cache import cached
from ..core import draw


def main(argv=None):
    parser = argparse.ArgumentParser(prog="skyline")
    parser.add_argument("command", choices=["draw"])
    parser.add_argument("--city", default="lisbon")
    args = parser.parse_args(argv)
    print(cached(args.city, draw))
    return 0
