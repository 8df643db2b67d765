"""Renderers: the comparison model in one output format each."""
