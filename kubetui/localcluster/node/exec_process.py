"""The child process behind one exec session, driven from the event loop without blocking.

With a terminal (tty=true) the child gets the slave side of a real pty: the kernel's line
discipline then gives echo, line editing, Ctrl-C as SIGINT and SIGWINCH on resize, exactly as
in a container. Without one it gets pipes. Output of either kind arrives as (channel, bytes)
chunks coalesced up to 32 KiB. Key decision: backpressure, never a timer or a drop: when the
WebSocket cannot keep up, the queue fills, the pty reader pauses and the pipe readers stop
reading, so the kernel's buffers fill and the child blocks in write() until its reader takes
more, as a container's process does behind a slow `kubectl exec`. Every child runs in its own
session, so `kill()` reaches everything it started.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import signal
import struct
import termios
from typing import Sequence

STDOUT, STDERR = 1, 2
CHUNK = 32 * 1024
_PAUSE_AT, _RESUME_AT = 64, 8  # queued chunks
DEFAULT_SIZE = (24, 80)  # rows, columns until the client's first resize


def set_window_size(fd: int, rows: int, columns: int) -> None:
    """TIOCSWINSZ on the pty master; the kernel sends SIGWINCH to the foreground group."""
    rows, columns = max(0, min(rows, 0xFFFF)), max(0, min(columns, 0xFFFF))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class ExecProcess:
    def __init__(self, process: asyncio.subprocess.Process, master: int | None):
        self.process = process
        self.master = master
        self.output: asyncio.Queue = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._pending = bytearray()  # stdin bytes the pty could not take yet
        self._paused = False
        self._readers: list[asyncio.Task] = []
        self._open_outputs = 0
        self._room = asyncio.Event()  # set while the queue can take more pipe output
        self._room.set()

    # ---- starting -----------------------------------------------------------------------
    @classmethod
    async def start(cls, argv: Sequence[str], *, env: dict[str, str], cwd: str, tty: bool,
                    stdin: bool, stdout: bool, stderr: bool,
                    size: tuple[int, int] = DEFAULT_SIZE) -> "ExecProcess":
        if tty:
            master, slave = pty.openpty()
            try:
                set_window_size(master, *size)
                process = await asyncio.create_subprocess_exec(
                    *argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
                    start_new_session=True, close_fds=True)
            except BaseException:
                os.close(master)
                raise
            finally:
                os.close(slave)  # only the child holds it now: its exit ends our reads (EIO)
            os.set_blocking(master, False)
            child = cls(process, master)
            child._open_outputs = 1
            child._loop.add_reader(master, child._on_pty_readable)
            return child
        pipe, devnull = asyncio.subprocess.PIPE, asyncio.subprocess.DEVNULL
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=pipe if stdin else devnull, stdout=pipe if stdout else devnull,
            stderr=pipe if stderr else devnull, cwd=cwd, env=env, start_new_session=True,
            close_fds=True)
        child = cls(process, None)
        for channel, stream in ((STDOUT, process.stdout), (STDERR, process.stderr)):
            if stream is not None:
                child._open_outputs += 1
                child._readers.append(asyncio.ensure_future(child._pump_pipe(channel, stream)))
        if child._open_outputs == 0:
            child.output.put_nowait(None)
        return child

    # ---- output -------------------------------------------------------------------------
    def _on_pty_readable(self) -> None:
        data = bytearray()
        ended = False
        while len(data) < CHUNK:
            try:
                chunk = os.read(self.master, CHUNK - len(data))
            except BlockingIOError:
                break
            except OSError:  # EIO: every holder of the slave side is gone
                ended = True
                break
            if not chunk:
                ended = True
                break
            data += chunk
        if data:
            self.output.put_nowait((STDOUT, bytes(data)))
        if ended:
            self._loop.remove_reader(self.master)
            self.output.put_nowait(None)
        elif self.output.qsize() >= _PAUSE_AT and not self._paused:
            self._paused = True
            self._loop.remove_reader(self.master)

    async def _pump_pipe(self, channel: int, stream: asyncio.StreamReader) -> None:
        try:
            while True:
                await self._room.wait()  # a full queue: stop reading, the child blocks in write()
                data = await stream.read(CHUNK)
                if not data:
                    break
                self.output.put_nowait((channel, data))
                if self.output.qsize() >= _PAUSE_AT:
                    self._room.clear()
        finally:
            self._open_outputs -= 1
            if self._open_outputs == 0:
                self.output.put_nowait(None)

    async def next_output(self) -> tuple[int, bytes] | None:
        """The next chunk, or None once all output has ended."""
        item = await self.output.get()
        if self.output.qsize() <= _RESUME_AT:
            self._room.set()
            if self._paused and self.master is not None:
                self._paused = False
                self._loop.add_reader(self.master, self._on_pty_readable)
        return item

    # ---- input --------------------------------------------------------------------------
    async def write_stdin(self, data: bytes) -> None:
        if not data:
            return
        if self.master is not None:
            self._pending += data
            self._flush_pty()
            return
        stream = self.process.stdin
        if stream is None or stream.is_closing():
            return
        try:
            stream.write(data)
            await stream.drain()
        except (ConnectionError, BrokenPipeError):
            pass

    def _flush_pty(self) -> None:
        if self.master is None:
            return
        while self._pending:
            try:
                written = os.write(self.master, self._pending)
            except BlockingIOError:
                self._loop.add_writer(self.master, self._on_pty_writable)
                return
            except OSError:
                self._pending.clear()
                return
            del self._pending[:written]
        self._loop.remove_writer(self.master)

    def _on_pty_writable(self) -> None:
        self._flush_pty()

    async def close_stdin(self) -> None:
        """End of input: EOF on the pipe, or Ctrl-D (VEOF) typed into the terminal."""
        if self.master is not None:
            await self.write_stdin(b"\x04")
            return
        stream = self.process.stdin
        if stream is not None and not stream.is_closing():
            stream.close()

    def resize(self, rows: int, columns: int) -> None:
        if self.master is not None:
            try:
                set_window_size(self.master, rows, columns)
            except OSError:
                pass

    # ---- ending -------------------------------------------------------------------------
    async def wait(self) -> int:
        code = await self.process.wait()
        return 128 - code if code < 0 else code

    async def kill(self, grace: float = 1.0) -> None:
        """SIGHUP the child's whole session (what a closed terminal sends), then SIGKILL."""
        if self.process.returncode is None:
            for sig in (signal.SIGHUP, signal.SIGKILL):
                try:
                    os.killpg(self.process.pid, sig)
                except (ProcessLookupError, PermissionError):
                    break
                try:
                    await asyncio.wait_for(asyncio.shield(self.process.wait()), grace)
                    break
                except asyncio.TimeoutError:
                    continue
        self.close()

    def kill_now(self) -> None:
        """SIGKILL the whole session at once, as the runtime does to what is left in a
        container whose main process died; the exit status becomes 137."""
        if self.process.returncode is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def close(self) -> None:
        for task in self._readers:
            task.cancel()
        if self.master is not None:
            self._loop.remove_reader(self.master)
            self._loop.remove_writer(self.master)
            os.close(self.master)
            self.master = None
