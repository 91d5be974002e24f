#!/bin/sh
# Remake the CJK font subsets after adding text to ocr/synth/texts.py (see README.md).
# Needs Debian's fonts-noto-cjk and fontTools in the venv (not a project dependency):
#   .venv/bin/pip install fonttools
set -eu
cd "$(dirname "$0")"
SRC=/usr/share/fonts/opentype/noto
CHARS=$(mktemp)
../../../.venv/bin/python -m ocr.synth --charset > "$CHARS"
# name, collection file, index of the SC face in the collection
for spec in "NotoSansCJKsc-Regular NotoSansCJK-Regular.ttc 2" \
            "NotoSansCJKsc-Bold NotoSansCJK-Bold.ttc 2" \
            "NotoSansMonoCJKsc-Regular NotoSansCJK-Regular.ttc 7" \
            "NotoSansMonoCJKsc-Bold NotoSansCJK-Bold.ttc 7"; do
    set -- $spec
    ../../../.venv/bin/pyftsubset "$SRC/$2" --font-number="$3" --text-file="$CHARS" \
        --no-hinting --layout-features='' --output-file="$1.subset.otf"
done
rm -f "$CHARS"
