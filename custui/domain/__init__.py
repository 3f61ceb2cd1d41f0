"""Plain data and pure functions: no I/O, no Textual, no TinyDB, no YAML."""
