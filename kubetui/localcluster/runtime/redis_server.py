"""redis-server answering one TCP connection: RESP in, RESP out, on the container's own keyspace.

Key decisions: enough of redis for what a learner types through a port-forward (`PING`,
`SET`/`GET`, counters, `KEYS`, `INFO server`, `QUIT`), with redis's own replies and error
texts for the image's version; commands arrive as RESP arrays (redis-cli, client libraries) or
inline (`PING` typed into nc). The keyspace belongs to the container instance, so every
connection to it sees the same keys and a restart starts empty, as without persistence.
Values are bounded (`MAX_DATASET`), as `maxmemory` would bound them.
"""

from __future__ import annotations

import fnmatch

MAX_DATASET = 256 * 1024 * 1024
MAX_BULK = 64 * 1024 * 1024  # redis allows 512 MB; the API server's process holds these bytes
_ARITY = {"get": 2, "set": -3, "del": -2, "exists": -2, "incr": 2, "decr": 2, "incrby": 3,
          "decrby": 3, "append": 3, "strlen": 2, "keys": 2, "echo": 2, "type": 2, "ttl": 2,
          "expire": 3, "persist": 2, "mget": -2, "select": 2, "dbsize": 1, "flushall": -1,
          "flushdb": -1, "ping": -1, "quit": -1, "info": -1, "command": -1, "client": -2,
          "config": -2, "hello": -1}


class Keyspace(dict):
    """One redis-server's data (bytes to bytes), keeping count of its size."""

    def __init__(self) -> None:
        super().__init__()
        self.used = 0

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self.used += len(key) + len(value) - (len(key) + len(self[key]) if key in self else 0)
        super().__setitem__(key, value)

    def pop(self, key, default=None):  # type: ignore[override]
        if key in self:
            self.used -= len(key) + len(self[key])
        return super().pop(key, default)

    def clear(self) -> None:
        self.used = 0
        super().clear()


class _Incomplete(Exception):
    pass


def _bulk(value: bytes | None) -> bytes:
    return b"$-1\r\n" if value is None else b"$%d\r\n%s\r\n" % (len(value), value)


def _int(value: int) -> bytes:
    return b":%d\r\n" % value


def _array(items: list[bytes]) -> bytes:
    return b"*%d\r\n" % len(items) + b"".join(_bulk(item) for item in items)


OK = b"+OK\r\n"
_NOT_INTEGER = b"-ERR value is not an integer or out of range\r\n"


class RedisConnection:
    def __init__(self, keyspace: Keyspace, version: str) -> None:
        self.keyspace, self.version = keyspace, version
        self.closed = False
        self._buffer = bytearray()
        numbers = [int(part) for part in version.split(".")[:2] if part.isdigit()]
        self._modern = numbers >= [7, 0]

    def receive(self, data: bytes) -> bytes:
        if self.closed:
            return b""
        self._buffer += data
        out = []
        while self._buffer and not self.closed:
            try:
                command, used = self._parse()
            except _Incomplete:
                break
            except ValueError as problem:
                out.append(b"-ERR Protocol error: %s\r\n" % str(problem).encode())
                self.closed = True
                break
            del self._buffer[:used]
            if command:
                out.append(self._run(command))
        return b"".join(out)

    def end(self) -> bytes:
        self.closed = True
        return b""

    # ---- reading commands -----------------------------------------------------------------
    def _line(self, start: int) -> tuple[bytes, int]:
        end = self._buffer.find(b"\r\n", start)
        if end < 0:
            if len(self._buffer) - start > 64 * 1024:
                raise ValueError("too big inline request")
            raise _Incomplete
        return bytes(self._buffer[start:end]), end + 2

    def _parse(self) -> tuple[list[bytes], int]:
        if self._buffer[:1] != b"*":
            end = self._buffer.find(b"\n")
            if end < 0:
                if len(self._buffer) > 64 * 1024:
                    raise ValueError("too big inline request")
                raise _Incomplete
            return bytes(self._buffer[:end]).strip().split(), end + 1
        header, offset = self._line(0)
        try:
            count = int(header[1:])
        except ValueError:
            raise ValueError("invalid multibulk length") from None
        items = []
        for _ in range(max(count, 0)):
            size_line, offset = self._line(offset)
            if size_line[:1] != b"$":
                raise ValueError(f"expected '$', got '{size_line[:1].decode('latin-1')}'")
            size = int(size_line[1:])
            if not 0 <= size <= MAX_BULK:
                raise ValueError("invalid bulk length")
            if len(self._buffer) < offset + size + 2:
                raise _Incomplete
            items.append(bytes(self._buffer[offset:offset + size]))
            offset += size + 2
        return items, offset

    # ---- running them -----------------------------------------------------------------------
    def _unknown(self, name: str, args: list[bytes]) -> bytes:
        if not self._modern:
            return f"-ERR unknown command '{name}'\r\n".encode()
        shown = "".join(f"'{arg.decode('latin-1')[:128]}' " for arg in args[:20])
        return f"-ERR unknown command '{name}', with args beginning with: {shown}\r\n".encode()

    def _run(self, command: list[bytes]) -> bytes:
        name = command[0].decode("latin-1")
        lower, args = name.lower(), command[1:]
        arity = _ARITY.get(lower)
        if arity is None:
            return self._unknown(name, args)
        if (arity > 0 and len(command) != arity) or (arity < 0 and len(command) < -arity):
            return f"-ERR wrong number of arguments for '{lower}' command\r\n".encode()
        data = self.keyspace
        if lower == "ping":
            return _bulk(args[0]) if args else b"+PONG\r\n"
        if lower == "quit":
            self.closed = True
            return OK
        if lower == "echo":
            return _bulk(args[0])
        if lower == "get":
            return _bulk(data.get(args[0]))
        if lower == "set":
            options = {arg.lower() for arg in args[2:]}
            if (b"nx" in options and args[0] in data) or (b"xx" in options and args[0] not in data):
                return _bulk(None)
            return self._store(args[0], args[1])
        if lower in ("del", "exists"):
            found = sum(1 for key in args if key in data)
            if lower == "del":
                for key in args:
                    data.pop(key, None)
            return _int(found)
        if lower in ("incr", "decr", "incrby", "decrby"):
            return self._add(lower, args)
        if lower == "append":
            return self._store(args[0], data.get(args[0], b"") + args[1], length=True)
        if lower == "strlen":
            return _int(len(data.get(args[0], b"")))
        if lower == "keys":
            pattern = args[0].decode("latin-1")
            return _array([key for key in data if fnmatch.fnmatchcase(key.decode("latin-1"), pattern)])
        if lower == "mget":
            return b"*%d\r\n" % len(args) + b"".join(_bulk(data.get(key)) for key in args)
        if lower == "type":
            return b"+string\r\n" if args[0] in data else b"+none\r\n"
        if lower == "ttl":
            return _int(-1 if args[0] in data else -2)
        if lower in ("expire", "persist"):
            return _int(0)
        if lower == "dbsize":
            return _int(len(data))
        if lower in ("flushall", "flushdb"):
            data.clear()
            return OK
        if lower == "select":
            return OK if args[0] == b"0" else b"-ERR DB index is out of range\r\n"
        if lower == "info":
            text = (f"# Server\r\nredis_version:{self.version}\r\nredis_mode:standalone\r\n"
                    f"os:Linux 6.8.0 x86_64\r\ntcp_port:6379\r\n\r\n# Keyspace\r\n")
            if data:
                text += f"db0:keys={len(data)},expires=0,avg_ttl=0\r\n"
            return _bulk(text.encode())
        if lower in ("command", "config"):
            return b"*0\r\n"
        if lower == "hello":
            return b"-NOPROTO unsupported protocol version\r\n"
        return OK  # client setname / setinfo

    def _store(self, key: bytes, value: bytes, length: bool = False) -> bytes:
        data = self.keyspace
        if data.used - len(data.get(key, b"")) + len(key) + len(value) > MAX_DATASET:
            return b"-OOM command not allowed when used memory > 'maxmemory'.\r\n"
        data[key] = value
        return _int(len(value)) if length else OK

    def _add(self, name: str, args: list[bytes]) -> bytes:
        try:
            step = int(args[1]) if len(args) > 1 else 1
            current = int(self.keyspace.get(args[0], b"0"))
        except ValueError:
            return _NOT_INTEGER
        value = current + (-step if name.startswith("decr") else step)
        self.keyspace[args[0]] = str(value).encode()
        return _int(value)
