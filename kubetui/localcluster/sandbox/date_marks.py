"""`date` in a planned run: a marker that becomes the time its text is printed or read.

Key decision: a planned run is decided before it happens, so `date` cannot know the time. It
prints a marker holding its format instead; a log line holding one becomes a template the log
fills in with the moment the line is read out, and a file write keeps it until someone reads
the file. Blanks in the format are swapped for \\x01 so the marker stays one field when the
shell splits words or `read` splits a line.
"""

from __future__ import annotations

import re
from datetime import datetime

from kubetui.localcluster.sandbox.run_plan import STDOUT, LogLine

_MARK = re.compile("\x00date:([^\x00]*)\x00")


def date_mark(fmt: str) -> str:
    return "\x00date:" + fmt.replace(" ", "\x01") + "\x00"


def has_date(text: str) -> bool:
    return "\x00date:" in text


def render_dates(text: str, moment: datetime) -> str:
    """`text` with its markers turned into `moment`."""
    return _MARK.sub(lambda match: moment.strftime(_format(match.group(1))), text)


def log_line(at: float, text: str, stream: str = STDOUT) -> LogLine:
    """A log line; one holding markers becomes a template (see LogLine.timed)."""
    if not has_date(text):
        return LogLine(at, text, stream)
    pieces = _MARK.split(text)  # literal, format, literal, format, …
    template = "".join(piece.replace("{", "{{").replace("}", "}}") if index % 2 == 0
                       else "{t:" + _format(piece) + "}" for index, piece in enumerate(pieces))
    return LogLine(at, template, stream, timed=True)


def _format(body: str) -> str:
    return body.replace("\x01", " ")
