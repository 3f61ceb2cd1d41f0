"""custui: a keyboard-driven customer care workbench for shops."""

__version__ = "0.1.0"
