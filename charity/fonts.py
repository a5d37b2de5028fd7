"""Where the Chinese font is: for shareable images (Pillow), charts and PDFs alike.

The portal ships Noto Sans SC (OFL, static/fonts/NotoSansSC-Regular.ttf with its licence), which
wins: PDFs embed it through @font-face (charity/pdf.py), so they render the same on a machine with
no system Chinese font. The system's fonts (scripts/bootstrap installs Debian's fonts-noto-cjk when
none is present) are only the fallback for a checkout without the shipped file.
"""

import functools
import subprocess
from pathlib import Path

from django.conf import settings

SHIPPED = ("NotoSansSC-Regular.ttf", "NotoSansSC-Regular.otf", "NotoSansCJKsc-Regular.otf")
# The family name the shipped file is declared under in PDFs and charts (charity/charts.py FONT).
SHIPPED_FAMILY = "Noto Sans SC"
SYSTEM = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)


def shipped_font_path():
    """The font file shipped under static/fonts/, or None."""
    fonts = Path(settings.BASE_DIR) / "static" / "fonts"
    return next((str(fonts / name) for name in SHIPPED if (fonts / name).is_file()), None)


@functools.cache
def cjk_font_path():
    """Path of a font with Simplified Chinese glyphs; raises LookupError when there is none."""
    shipped = shipped_font_path()
    if shipped:
        return shipped
    for path in SYSTEM:
        if Path(path).is_file():
            return path
    try:
        command = ["fc-match", "-f", "%{file}", ":lang=zh-cn"]
        found = subprocess.run(command, capture_output=True, text=True, timeout=5, check=False).stdout.strip()
    except OSError:
        found = ""
    if found and Path(found).is_file():
        return found
    raise LookupError("找不到中文字体：请安装 fonts-noto-cjk（scripts/bootstrap 会自动安装）")
