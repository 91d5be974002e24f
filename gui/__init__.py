"""Everything PySide6. Kept import-light: the CLI entry point lives here too."""
