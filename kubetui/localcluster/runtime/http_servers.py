"""nginx and httpd answering one TCP connection: static files over HTTP/1.x, as the images serve them.

Key decisions: the files are the container's own as a shell in it sees them now (the image's,
what its programs and exec sessions wrote, its shared volumes), so the sidecar sample's
`/usr/share/nginx/html` holds what the sidecar wrote, and a page written with `kubectl exec`
is served at once. Answers carry the servers' own headers and error pages (nginx's
`<center>nginx/1.16.1</center>`), keep-alive as HTTP/1.1 wants it, and every request writes
the server's access-log line to the container's log, with the client's address as the
container sees it (127.0.0.1: a port-forward arrives on localhost).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Callable
from urllib.parse import unquote, urlsplit

from kubetui.localcluster.sandbox.vfs import FileSystem, FsError

ACCESS_TIME = "%d/%b/%Y:%H:%M:%S +0000"
MAX_HEAD = 64 * 1024
_TYPES = {"html": "text/html", "htm": "text/html", "css": "text/css", "txt": "text/plain",
          "js": "application/javascript", "json": "application/json", "xml": "text/xml",
          "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
          "svg": "image/svg+xml", "ico": "image/x-icon"}
_REASONS = {200: "OK", 301: "Moved Permanently", 400: "Bad Request", 403: "Forbidden",
            404: "Not Found", 405: "Not Allowed", 413: "Request Entity Too Large"}

Files = Callable[[], FileSystem]
Log = Callable[[str, str], None]  # (line, "stdout"|"stderr")


@dataclass(frozen=True)
class Flavor:
    """What tells nginx and httpd apart on the wire and in their logs."""

    server: str          # the Server header
    root: str            # the document root
    log_format: str      # "nginx" (combined + x_forwarded_for) or "common"
    error_page: Callable[[int, str], bytes]
    not_allowed: int = 405


def nginx_flavor(version: str) -> Flavor:
    def page(status: int, reason: str) -> bytes:
        title = f"{status} {reason}"
        return (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
                f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n"
                "</body>\r\n</html>\r\n").encode()
    return Flavor(f"nginx/{version}", "/usr/share/nginx/html", "nginx", page)


def httpd_flavor(version: str) -> Flavor:
    def page(status: int, reason: str) -> bytes:
        text = {404: "The requested URL was not found on this server.",
                403: "You don't have permission to access this resource.",
                405: "The requested method is not allowed for this URL."}.get(status, reason)
        return (f'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
                f"<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n"
                f"<p>{text}</p>\n</body></html>\n").encode()
    return Flavor(f"Apache/{version} (Unix)", "/usr/local/apache2/htdocs", "common", page)


@dataclass
class _Request:
    method: str
    target: str
    version: str
    headers: dict[str, str]
    line: str


class HttpConnection:
    """One client connection: bytes in, the server's bytes out; `closed` once it hung up."""

    def __init__(self, flavor: Flavor, files: Files, log: Log, now: Callable[[], datetime],
                 peer: str = "127.0.0.1") -> None:
        self.flavor, self.files, self.log, self.now, self.peer = flavor, files, log, now, peer
        self.closed = False
        self._buffer = bytearray()
        self._body_left = 0

    def receive(self, data: bytes) -> bytes:
        if self.closed:
            return b""
        self._buffer += data
        out = []
        while not self.closed:
            if self._body_left:  # a request body nobody reads: skipped
                taken = min(self._body_left, len(self._buffer))
                del self._buffer[:taken]
                self._body_left -= taken
                if self._body_left:
                    break
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEAD:
                    out.append(self._answer(None, 400))
                break
            head = bytes(self._buffer[:end]).decode("latin-1")
            del self._buffer[:end + 4]
            out.append(self._serve(head))
        return b"".join(out)

    def end(self) -> bytes:
        """The client shut its side: the server closes too."""
        self.closed = True
        return b""

    # ---- one request ------------------------------------------------------------------------
    def _serve(self, head: str) -> bytes:
        lines = head.lstrip("\r\n").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            return self._answer(None, 400)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        request = _Request(parts[0], parts[1], parts[2], headers, lines[0])
        try:
            self._body_left = int(headers.get("content-length") or 0)
        except ValueError:
            return self._answer(request, 400)
        if request.method not in ("GET", "HEAD"):
            return self._answer(request, self.flavor.not_allowed)
        return self._static(request)

    def _static(self, request: _Request) -> bytes:
        path = posixpath.normpath("/" + unquote(urlsplit(request.target).path).lstrip("/"))
        if request.target.endswith("/") and path != "/":
            path += "/"
        fs = self.files()
        full = posixpath.join(self.flavor.root, path.lstrip("/"))
        try:
            node = fs.lookup(full)
            if node.is_dir:
                if not path.endswith("/"):
                    # absolute_redirect: the Host header's name and nginx's own port (80: none)
                    host = request.headers.get("host", "localhost").rsplit(":", 1)[0] or "localhost"
                    return self._answer(request, 301, extra={"Location": f"http://{host}{path}/"})
                full = posixpath.join(full, "index.html")
                node = fs.lookup(full)
        except FsError:
            return self._answer(request, 403 if path.endswith("/") and self._is_dir(fs, full) else 404)
        if node.is_dir:
            return self._answer(request, 403)
        body = node.data
        modified = datetime.fromtimestamp(node.mtime, timezone.utc)
        extension = full.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(full) else ""
        extra = {"Last-Modified": format_datetime(modified, usegmt=True),
                 "ETag": f'"{int(node.mtime):x}-{len(body):x}"', "Accept-Ranges": "bytes"}
        return self._answer(request, 200, body, _TYPES.get(extension, "application/octet-stream"), extra)

    @staticmethod
    def _is_dir(fs: FileSystem, path: str) -> bool:
        try:
            return fs.lookup(posixpath.dirname(path)).is_dir
        except FsError:
            return False

    def _answer(self, request: _Request | None, status: int, body: bytes | None = None,
                content_type: str = "text/html", extra: dict[str, str] | None = None) -> bytes:
        reason = _REASONS.get(status, "")
        if body is None:
            body = self.flavor.error_page(status, reason)
        keep = False  # a request nginx could not read ends the connection
        if request is not None and status != 400:
            asked = request.headers.get("connection", "").lower()
            keep = asked == "keep-alive" if request.version == "HTTP/1.0" else asked != "close"
        head = [f"HTTP/1.1 {status} {reason}", f"Server: {self.flavor.server}",
                f"Date: {format_datetime(self.now().astimezone(timezone.utc), usegmt=True)}",
                f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        extra = extra or {}
        head += [f"Last-Modified: {extra['Last-Modified']}"] if "Last-Modified" in extra else []
        head.append(f"Connection: {'keep-alive' if keep else 'close'}")
        head += [f"{name}: {value}" for name, value in extra.items() if name != "Last-Modified"]
        sent = b"" if request is not None and request.method == "HEAD" else body
        self._access(request, status, len(sent))
        if not keep:
            self.closed = True
        return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + sent

    def _access(self, request: _Request | None, status: int, size: int) -> None:
        stamp = self.now().astimezone(timezone.utc).strftime(ACCESS_TIME)
        line = request.line if request is not None else "-"
        if self.flavor.log_format == "nginx":
            headers = request.headers if request is not None else {}
            self.log(f'{self.peer} - - [{stamp}] "{line}" {status} {size} '
                     f'"{headers.get("referer", "-")}" "{headers.get("user-agent", "-")}" "-"', "stdout")
        else:
            self.log(f'{self.peer} - - [{stamp}] "{line}" {status} {size or "-"}', "stdout")
