"""The API server's warnings on stderr, as kubectl prints them: `Warning: <text>`, each text once
(client-go's deduplicating warning writer), e.g. for the deprecated v1 Endpoints."""

from __future__ import annotations

from typing import Any, TextIO

__all__ = ["print_server_warnings"]


def print_server_warnings(conn: Any, err: TextIO) -> None:
    """Print what the server warns about on `err`, when `conn` sends through a `Transport`."""
    client = getattr(conn, "api_client", None)
    if not hasattr(client, "on_warning"):
        return  # the official client's connection: its warnings are not read
    seen: set[str] = set()

    def show(text: str) -> None:
        if text not in seen:
            seen.add(text)
            print(f"Warning: {text}", file=err, flush=True)

    client.on_warning = show
