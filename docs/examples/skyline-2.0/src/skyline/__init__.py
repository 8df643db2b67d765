"""Render city skylines as text."""

__version__ = "2.0"
