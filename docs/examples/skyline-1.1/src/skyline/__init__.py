"""Render city skylines as text."""

__version__ = "1.1"
