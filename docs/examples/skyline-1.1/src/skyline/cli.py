import argparse

from .core import draw


def main(argv=None):
    parser = argparse.ArgumentParser(prog="skyline")
    parser.add_argument("command", choices=["draw"])
    parser.add_argument("--city", default="lisbon")
    args = parser.parse_args(argv)
    print(draw(args.city))
    return 0
