"""Decoded terminal output -> operations on a `Screen`.

Key decision: one compiled regular expression cuts the text into tokens (a run of printable
characters, optionally followed by CR LF; one control sequence; one control character), so
plain output is handled a run at a time, not a character at a time as pyte does. A sequence
cut off at the end of a chunk is held back (bounded) and completed by the next chunk.
Unknown or malformed sequences are swallowed, never printed.
"""

from __future__ import annotations

import re

from kubetui.terminal.screen import Screen
from kubetui.terminal.styles import apply_sgr, parse_sgr_params

_TOKEN = re.compile(
    r"(?P<block>(?:[^\x00-\x1f\x7f-\x9f]*\r\n)+)"
    r"|(?P<text>[^\x00-\x1f\x7f-\x9f]+)"
    r"|\x1b\[(?P<params>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~])"
    r"|\x1b\](?P<osc>[^\x07\x1b]*)(?:\x07|\x1b\\)"
    r"|\x1b[P_^X][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b(?P<esc_inter>[ -/]*)(?P<esc_final>[0-~])"
    r"|(?P<ctl>[\x00-\x1f\x7f-\x9f])",
    re.S,
)
# What may be cut off at the end of a chunk: ESC alone, ESC + intermediates, a CSI without its
# final byte, or a string sequence (OSC, DCS, APC, PM, SOS) without its terminator.
_PARTIAL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|[\]P_^X][^\x07\x1b]*\x1b?|[ -/]*)")
MAX_HELD = 65536
SGR_CACHE_LIMIT = 1024  # a string sequence longer than this is dropped instead of buffered


def _numbers(params: str) -> list[int]:
    return [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []


class Parser:
    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.held = ""  # an escape sequence cut off at the end of the last chunk
        self.skipping = False  # inside an overlong string sequence: discard up to its terminator
        self._sgr_cache: dict = {}  # (style, SGR parameters) -> style: colour output repeats a few

    def _skip_string(self, text: str) -> str:
        ends = [i for i in (text.find("\x07"), text.find("\x1b\\")) if i >= 0]
        if not ends:
            self.held = "\x1b" if text.endswith("\x1b") else ""
            return ""
        self.skipping = False
        end = min(ends)
        return text[end + (1 if text[end] == "\x07" else 2):]

    def feed(self, text: str) -> None:
        if self.held:
            text = self.held + text
            self.held = ""
        if self.skipping:
            text = self._skip_string(text)
        cut = text.rfind("\x1b")
        if cut >= 0 and cut == len(text) - 1:
            # ESC last may be the first half of the ST ending an OSC that started before it
            before = text.rfind("\x1b", 0, cut)
            if before >= 0 and _PARTIAL.fullmatch(text, before):
                cut = before
        if cut >= 0 and _PARTIAL.fullmatch(text, cut):
            if len(text) - cut <= MAX_HELD:
                self.held = text[cut:]
            else:
                self.skipping = text[cut + 1:cut + 2] in "]P_^X"  # swallow the rest of the string
            text = text[:cut]
        screen = self.screen
        draw = screen.draw
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup
            if kind == "text":
                draw(match.group(2))
            elif kind == "block":
                screen.draw_lines(match.group(1).split("\r\n")[:-1])
            elif kind == "final":
                self._csi(match.group("params"), match.group("inter"), match.group("final"))
            elif kind == "ctl":
                self._control(match.group("ctl"))
            elif kind == "esc_final":
                self._escape(match.group("esc_inter"), match.group("esc_final"))
            elif kind == "osc":
                self._osc(match.group("osc"))

    # --- C0 controls --- #

    def _control(self, char: str) -> None:
        screen = self.screen
        if char == "\r":
            screen.carriage_return()
        elif char in "\n\x0b\x0c":
            screen.linefeed()
        elif char == "\x08":
            screen.backspace()
        elif char == "\t":
            screen.tab()
        elif char == "\x07":
            pass  # BEL: nothing rings inside a tab
        elif char == "\x0e":
            screen.shift = 1
        elif char == "\x0f":
            screen.shift = 0
        # everything else (NUL, ENQ, C1 controls, DEL ...) is ignored, as xterm does

    # --- ESC sequences --- #

    def _escape(self, inter: str, final: str) -> None:
        screen = self.screen
        if inter:
            if inter in "()" and len(inter) == 1:
                screen.charsets[0 if inter == "(" else 1] = final == "0"
            elif inter == "#" and final == "8":
                screen.alignment_test()
            return
        if final == "7":
            screen.save_cursor()
        elif final == "8":
            screen.restore_cursor()
        elif final == "D":
            screen.index()
        elif final == "E":
            screen.carriage_return()
            screen.index()
        elif final == "M":
            screen.reverse_index()
        elif final == "H":
            screen.set_tabstop()
        elif final == "c":
            screen.reset()
        elif final == "=":
            screen.app_keypad = True
        elif final == ">":
            screen.app_keypad = False

    # --- OSC --- #

    def _osc(self, body: str) -> None:
        code, _, value = body.partition(";")
        if code in ("0", "2"):
            self.screen.title = value[:256]

    # --- CSI sequences --- #

    def _csi(self, params: str, inter: str, final: str) -> None:
        screen = self.screen
        private = params[:1] if params[:1] in "<=>?" and params else ""
        if private:
            params = params[1:]
        if final == "m" and not private and not inter:
            key = (screen.style, params)
            style = self._sgr_cache.get(key)
            if style is None:
                if len(self._sgr_cache) >= SGR_CACHE_LIMIT:
                    self._sgr_cache.clear()
                style = self._sgr_cache[key] = apply_sgr(screen.style, parse_sgr_params(params) if params else [])
            screen.style = style
            return
        if inter:
            return  # DECSCUSR (cursor shape), DECSTR and friends: nothing to do here
        if private == "?":
            if final in "hl":
                for mode in _numbers(params):
                    self._private_mode(mode, final == "h")
            return
        if private == ">":
            if final == "c":
                screen.reply(b"\x1b[>0;10;1c")
            return
        if private:
            return
        nums = _numbers(params)
        first = nums[0] if nums else 0
        count = first or 1
        handler = _CSI.get(final)
        if handler is not None:
            handler(screen, nums, first, count)
        elif final == "h" or final == "l":
            for mode in nums:
                if mode == 4:
                    screen.insert = final == "h"
                elif mode == 20:
                    screen.newline_mode = final == "h"

    def _private_mode(self, mode: int, on: bool) -> None:
        screen = self.screen
        if mode == 1:
            screen.app_cursor = on
        elif mode == 6:
            screen.origin = on
            screen.move_to(0, 0)
        elif mode == 7:
            screen.autowrap = on
        elif mode == 25:
            screen.cursor_visible = on
            screen.dirty.add(screen.y)
        elif mode in (47, 1047):
            screen.enter_alternate(False, mode == 1047) if on else screen.leave_alternate(False)
        elif mode == 1048:
            screen.save_cursor() if on else screen.restore_cursor()
        elif mode == 1049:
            if on:
                screen.enter_alternate(True, True)
            else:
                screen.leave_alternate(True)
        elif mode in (9, 1000, 1002, 1003):
            screen.mouse_tracking = mode if on else 0
        elif mode == 1006:
            screen.mouse_sgr = on
        elif mode == 2004:
            screen.bracketed_paste = on


def _device_status(screen: Screen, nums, first, count) -> None:
    if first == 5:
        screen.reply(b"\x1b[0n")
    elif first == 6:
        screen.report_cursor()


def _margins(screen: Screen, nums, first, count) -> None:
    top = (nums[0] or 1) if nums else 1
    bottom = (nums[1] or screen.rows) if len(nums) > 1 else screen.rows
    screen.set_margins(top - 1, bottom - 1)


def _position(screen: Screen, nums, first, count) -> None:
    row = (nums[0] or 1) if nums else 1
    col = (nums[1] or 1) if len(nums) > 1 else 1
    screen.move_to(row - 1, col - 1)


# final byte -> handler(screen, numbers, first number (0 if absent), first number or 1)
_CSI = {
    "@": lambda s, n, f, c: s.insert_chars(c),
    "A": lambda s, n, f, c: s.move_up(c),
    "B": lambda s, n, f, c: s.move_down(c),
    "C": lambda s, n, f, c: s.move_right(c),
    "D": lambda s, n, f, c: s.move_left(c),
    "E": lambda s, n, f, c: (s.move_down(c), s.carriage_return()),
    "F": lambda s, n, f, c: (s.move_up(c), s.carriage_return()),
    "G": lambda s, n, f, c: s.move_to_column(c - 1),
    "`": lambda s, n, f, c: s.move_to_column(c - 1),
    "H": _position,
    "f": _position,
    "I": lambda s, n, f, c: s.tab(c),
    "J": lambda s, n, f, c: s.erase_in_display(f),
    "K": lambda s, n, f, c: s.erase_in_line(f),
    "L": lambda s, n, f, c: s.insert_lines(c),
    "M": lambda s, n, f, c: s.delete_lines(c),
    "P": lambda s, n, f, c: s.delete_chars(c),
    "S": lambda s, n, f, c: s.scroll_up(c),
    "T": lambda s, n, f, c: s.scroll_down(c),
    "X": lambda s, n, f, c: s.erase_chars(c),
    "Z": lambda s, n, f, c: s.back_tab(c),
    "a": lambda s, n, f, c: s.move_right(c),
    "b": lambda s, n, f, c: s.repeat_last(c),
    "c": lambda s, n, f, c: s.reply(b"\x1b[?62;22c") if f == 0 else None,
    "d": lambda s, n, f, c: s.move_to_row(c - 1),
    "e": lambda s, n, f, c: s.move_down(c),
    "g": lambda s, n, f, c: s.clear_tabstops(f),
    "n": _device_status,
    "r": _margins,
    "s": lambda s, n, f, c: s.save_cursor(),
    "u": lambda s, n, f, c: s.restore_cursor(),
}
