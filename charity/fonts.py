"""Where the Chinese font is: for shareable images (Pillow), charts and PDFs alike.

The setup (scripts/bootstrap) installs Debian's fonts-noto-cjk when no Chinese font is present;
a font shipped under static/fonts/ wins when there is one.
"""

import functools
import subprocess
from pathlib import Path

from django.conf import settings

SHIPPED = ("NotoSansSC-Regular.otf", "NotoSansSC-Regular.ttf", "NotoSansCJKsc-Regular.otf")
SYSTEM = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)


@functools.cache
def cjk_font_path():
    """Path of a font with Simplified Chinese glyphs; raises LookupError when there is none."""
    fonts = Path(settings.BASE_DIR) / "static" / "fonts"
    for name in SHIPPED:
        if (fonts / name).is_file():
            return str(fonts / name)
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
