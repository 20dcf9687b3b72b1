"""VT emulation for exec sessions, with no Textual in sight: bytes in, styled lines out.

`ScreenBuffer` is the one class the rest of kubetui uses; `keys` turns key names into the bytes a
terminal would send. See `buffer.py` for the threading rules and `lines.py` for why it is fast.
"""

from kubetui.terminal.buffer import Cursor, Modes, ScreenBuffer
from kubetui.terminal.styles import CellStyle

__all__ = ["CellStyle", "Cursor", "Modes", "ScreenBuffer"]
