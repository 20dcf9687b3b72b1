"""Hostile manifest texts shared by the model, CLI and panel tests."""

from __future__ import annotations


def alias_bomb(levels: int, name: str = "laughs") -> str:
    """A ConfigMap whose data nests `&x [*w, *w, ...]` nine wide, `levels` deep ("billion laughs"):
    about 9**levels nodes once expanded, from a few hundred bytes. Level 5 (line 10) is the first
    past 10,000 nodes."""
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", f"  name: {name}", "data:",
             "  l1: &l1 [" + ", ".join(["lol"] * 9) + "]"]
    for level in range(2, levels + 1):
        lines.append(f"  l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BOMB_LINE = 10  # the line of level 5, where the expansion first passes the limit
