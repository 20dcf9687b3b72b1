"""Key names (as Textual reports them: `up`, `ctrl+c`, `alt+x`, `shift+f5`) -> the bytes xterm sends.

Pure data and functions, so the mapping is tested without a UI. The remote program's modes
matter: in application-cursor mode (DECCKM, set by vi, less, top) the arrows and Home/End
are sent as SS3 sequences; with bracketed paste on, a paste is wrapped in ESC[200~ … ESC[201~.
"""

from __future__ import annotations

ESC = "\x1b"

# key -> (CSI final or "~"-number, SS3 letter in application-cursor mode)
_CURSOR_KEYS = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
_TILDE_KEYS = {"insert": 2, "delete": 3, "pageup": 5, "pagedown": 6,
               "f5": 15, "f6": 17, "f7": 18, "f8": 19, "f9": 20, "f10": 21, "f11": 23, "f12": 24,
               "f13": 25, "f14": 26, "f15": 28, "f16": 29, "f17": 31, "f18": 32, "f19": 33, "f20": 34}
_SS3_FKEYS = {"f1": "P", "f2": "Q", "f3": "R", "f4": "S"}
_MODIFIER_BITS = {"shift": 1, "alt": 2, "meta": 2, "ctrl": 4}
_PLAIN = {"enter": "\r", "tab": "\t", "backspace": "\x7f", "escape": ESC, "space": " "}
# Textual's names for punctuation used with ctrl (ctrl+] is the telnet escape we keep for ourselves).
_CTRL_PUNCT = {"space": "\x00", "at": "\x00", "left_square_bracket": ESC, "backslash": "\x1c",
               "right_square_bracket": "\x1d", "circumflex_accent": "\x1e", "underscore": "\x1f",
               "question_mark": "\x7f"}
_NAMED_CHARACTERS = {"space": " ", "minus": "-", "plus": "+", "equals_sign": "=", "comma": ",",
                     "full_stop": ".", "slash": "/", "semicolon": ";", "colon": ":", "apostrophe": "'",
                     "quotation_mark": '"', "number_sign": "#", "dollar_sign": "$", "percent_sign": "%",
                     "ampersand": "&", "asterisk": "*", "left_parenthesis": "(", "right_parenthesis": ")",
                     "less_than_sign": "<", "greater_than_sign": ">", "question_mark": "?",
                     "exclamation_mark": "!", "at": "@", "underscore": "_", "backslash": "\\",
                     "left_square_bracket": "[", "right_square_bracket": "]", "grave_accent": "`",
                     "tilde": "~", "vertical_line": "|", "left_curly_bracket": "{",
                     "right_curly_bracket": "}", "circumflex_accent": "^"}


def split_key(key: str) -> tuple[set[str], str]:
    """`ctrl+shift+up` -> ({'ctrl', 'shift'}, 'up')."""
    parts = key.split("+")
    # "ctrl+plus"-style names never contain a bare "+", so the last part is the key itself
    return set(parts[:-1]), parts[-1]


def encode_key(key: str, character: str | None = None, *, app_cursor: bool = False) -> bytes | None:
    """The bytes for one key press, or None when the key means nothing to a terminal."""
    modifiers, name = split_key(key)
    bits = sum(_MODIFIER_BITS.get(m, 0) for m in modifiers)
    if name in _CURSOR_KEYS:
        letter = _CURSOR_KEYS[name]
        if bits:
            return f"{ESC}[1;{bits + 1}{letter}".encode()
        return f"{ESC}{'O' if app_cursor else '['}{letter}".encode()
    if name in _TILDE_KEYS:
        number = _TILDE_KEYS[name]
        return (f"{ESC}[{number};{bits + 1}~" if bits else f"{ESC}[{number}~").encode()
    if name in _SS3_FKEYS:
        letter = _SS3_FKEYS[name]
        return (f"{ESC}[1;{bits + 1}{letter}" if bits else f"{ESC}O{letter}").encode()
    if name == "tab" and "shift" in modifiers:
        return f"{ESC}[Z".encode()
    if key == "backtab":
        return f"{ESC}[Z".encode()
    prefix = ESC if modifiers & {"alt", "meta"} else ""
    if "ctrl" in modifiers:
        if len(name) == 1 and name.isalpha():
            return (prefix + chr(ord(name.lower()) & 0x1F)).encode()
        if name in _CTRL_PUNCT:
            return (prefix + _CTRL_PUNCT[name]).encode()
        if name in ("h", "backspace"):
            return (prefix + "\x08").encode()
    if name in _PLAIN:
        return (prefix + _PLAIN[name]).encode()
    if character and character.isprintable():
        return (prefix + character).encode()
    if prefix:
        if len(name) == 1:
            return (prefix + (name.upper() if "shift" in modifiers else name)).encode()
        if name in _NAMED_CHARACTERS:
            return (prefix + _NAMED_CHARACTERS[name]).encode()
    if character and len(character) == 1 and ord(character) < 0x20:
        return character.encode()  # a control character Textual passed through as is
    return None


def encode_paste(text: str, *, bracketed: bool) -> bytes:
    """A paste: newlines become CR (what a terminal sends for Enter); bracketed when asked."""
    body = text.replace("\r\n", "\r").replace("\n", "\r")
    if bracketed:
        # a paste must not be able to end the bracket early and run what follows
        body = body.replace(f"{ESC}[201~", "")
        return f"{ESC}[200~{body}{ESC}[201~".encode()
    return body.encode()


def encode_wheel(up: bool, x: int, y: int, *, sgr: bool) -> bytes:
    """A mouse wheel report for programs that asked for mouse reporting (1-based cell coordinates)."""
    button = 64 if up else 65
    if sgr:
        return f"{ESC}[<{button};{x + 1};{y + 1}M".encode()
    return bytes([0x1B, ord("["), ord("M"), 32 + button, min(255, 33 + x), min(255, 33 + y)])
