"""Use-cases the screens and the CLI call; no Textual here."""
