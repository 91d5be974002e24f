"""The `cardbind` command in a terminal: a front end beside `gui/`, over `ocr/` and `core/`.

One module per command group (`check`, `ocr`, `bind`, `batch`, `records`, `secret`,
`sandbox`), the shared prompts and printing in `term`, and the dispatcher in `main`. Nothing
here imports Qt: `cardbind` without a command loads the desktop app by name, only then.
"""
