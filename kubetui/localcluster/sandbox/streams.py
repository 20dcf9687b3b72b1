"""Standard streams for simulated programs: the real pty/pipes, buffers and in-memory files.

Programs see text (UTF-8 with surrogate escapes so any byte survives). The real fds are
written with os.write straight away (no buffering) so output order across stdout and
stderr is the order of the calls, as with a real terminal. Reading the real stdin shares
one buffer between the shell and the programs it runs, so `sh` reading a script from a
pipe leaves the rest of the input to the commands, like a real shell reading unbuffered.
"""

from __future__ import annotations

import fcntl
import os
import struct
import termios
from dataclasses import dataclass

from kubetui.localcluster.sandbox.vfs import FileSystem


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def window_size(fd: int) -> tuple[int, int] | None:
    """(rows, columns) of the terminal on fd, None when fd is not a terminal."""
    try:
        packed = fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
    except OSError:
        return None
    rows, cols, _, _ = struct.unpack("HHHH", packed)
    return rows, cols


class OutStream:
    fd: int | None = None

    def write(self, text: str) -> None:
        raise NotImplementedError

    def isatty(self) -> bool:
        return False

    def columns(self) -> int | None:
        return None


class FdOut(OutStream):
    def __init__(self, fd: int):
        self.fd = fd
        self._tty = os.isatty(fd)

    def write(self, text: str) -> None:
        data = encode(text)
        while data:
            written = os.write(self.fd, data)
            data = data[written:]

    def isatty(self) -> bool:
        return self._tty

    def columns(self) -> int | None:
        size = window_size(self.fd) if self._tty else None
        return size[1] if size and size[1] else None


class BufferOut(OutStream):
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


class PipeOut(BufferOut):
    """The write end of a pipe between two stages of a pipeline. Stages run one after the
    other, so a program that never stops writing (`tail -f`) hands the pipe a `source` to be
    read lazily by the next stage instead of writing everything first."""

    def __init__(self, capacity: int | None = None) -> None:
        super().__init__()
        self.source: InStream | None = None
        self.capacity, self._size = capacity, 0

    def write(self, text: str) -> None:
        """Past `capacity` characters the writer meets a closed pipe (EPIPE), as `yes | head`
        does: what a stage may hold for the next is bounded."""
        self._size += len(text)
        if self.capacity is not None and self._size > self.capacity:
            raise BrokenPipeError(32, "Broken pipe")
        super().write(text)

    def continue_with(self, source: "InStream") -> None:
        self.source = source

    def reader(self) -> "InStream":
        """The read end, for the next stage."""
        data = StrIn(self.getvalue())
        return data if self.source is None else ChainIn(data, self.source)


class NullOut(OutStream):
    def write(self, text: str) -> None:
        pass


class FileOut(OutStream):
    """A redirection into the in-memory filesystem (`> /tmp/f`, `>> /tmp/f`)."""

    def __init__(self, fs: FileSystem, path: str, cwd: str, append: bool):
        self.fs, self.path, self.cwd = fs, path, cwd
        fs.write(path, b"", cwd, append=append)  # create/truncate now, errors surface here

    def write(self, text: str) -> None:
        self.fs.write(self.path, encode(text), self.cwd, append=True)


class InStream:
    fd: int | None = None

    def readline(self) -> str:
        raise NotImplementedError

    def read(self) -> str:
        chunks = []
        while True:
            line = self.readline()
            if not line:
                return "".join(chunks)
            chunks.append(line)

    def isatty(self) -> bool:
        return False

    def position(self) -> int | None:
        """How much has been read, where the stream can tell (None: it cannot)."""
        return None


class FdIn(InStream):
    def __init__(self, fd: int):
        self.fd = fd
        self._tty = os.isatty(fd)
        self._buffer = b""
        self._eof = False

    def isatty(self) -> bool:
        return self._tty

    def discard(self) -> None:
        """Forget a half-read line (after Ctrl-C the kernel flushed it too)."""
        self._buffer = b""

    def readline(self) -> str:
        """One line with its newline; "" at end of input.

        On a terminal, Ctrl-D on an empty line is an end of input for this read only (the
        next read waits again), and Ctrl-D after some text hands that text over unfinished.
        """
        while b"\n" not in self._buffer and not self._eof:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the terminal went away
                chunk, self._eof = b"", True
            if not chunk:
                self._eof = self._eof or not self._tty
                line, self._buffer = self._buffer, b""
                return decode(line)
            self._buffer += chunk
        line, newline, self._buffer = self._buffer.partition(b"\n")
        return decode(line + newline)


class StrIn(InStream):
    def __init__(self, text: str):
        self._text = text
        self._pos = 0

    def readline(self) -> str:
        end = self._text.find("\n", self._pos)
        end = len(self._text) if end < 0 else end + 1
        line = self._text[self._pos:end]
        self._pos = end
        return line

    def read(self) -> str:
        rest = self._text[self._pos:]
        self._pos = len(self._text)
        return rest

    def position(self) -> int | None:
        return self._pos


class NullIn(StrIn):
    def __init__(self) -> None:
        super().__init__("")


class ChainIn(InStream):
    """One stream after another: what a pipe already holds, then what keeps coming."""

    def __init__(self, *parts: InStream):
        self.parts = list(parts)
        self._read = 0

    def readline(self) -> str:
        while self.parts:
            line = self.parts[0].readline()
            if line:
                self._read += len(line)
                return line
            self.parts.pop(0)
        return ""

    def position(self) -> int | None:
        return self._read


@dataclass
class IO:
    stdin: InStream
    stdout: OutStream
    stderr: OutStream

    def replace(self, **changes) -> "IO":
        values = {"stdin": self.stdin, "stdout": self.stdout, "stderr": self.stderr}
        values.update(changes)
        return IO(**values)
