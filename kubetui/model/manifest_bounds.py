"""What a composed YAML document must pass before it becomes Python values.

A YAML alias is a reference: a few hundred bytes of `&a [*a, *a, ...]` nested a few levels stand
for billions of nodes once expanded ("billion laughs"), and every walk that copies or serialises
the values (positions, JSON, the request body) expands them. Key decision: the composed node
graph, where an alias is the very node object its anchor names, is measured with memoisation,
each distinct node once and iteratively, so the check costs time and memory linear in the text
however large the expansion would be; construction starts only after the document passed. The
same walk refuses an alias inside its own anchor (an infinite document), nesting deeper than any
Kubernetes object, and tags outside YAML's standard set: safe loading only, so `!Ref` or
`!!python/object/apply:...` is an error at its line, never code and never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

EXPANSION_FLOOR = 10_000  # expanded nodes any document may have
EXPANSION_RATIO = 10      # above the floor: expanded nodes allowed per node written in the text
MAX_DEPTH = 200           # deeper than any Kubernetes object; far below Python's recursion limit

_STANDARD = "tag:yaml.org,2002:"
# What sigs.k8s.io/yaml (go-yaml) reads: YAML's core scalars, collections and the merge key.
KNOWN_TAGS = frozenset(_STANDARD + name for name in
                       ("null", "bool", "int", "float", "str", "binary", "timestamp", "seq", "map", "merge"))


@dataclass(frozen=True)
class Refusal:
    """Why a document is not read, and the node it is about."""

    message: str
    mark: yaml.Mark | None


def short_tag(tag: str) -> str:
    """`!!python/object/apply:os.system` for the long form of a standard tag; others as written."""
    return "!!" + tag[len(_STANDARD):] if tag.startswith(_STANDARD) else tag


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _count(number: int) -> str:
    return f"{number:,}" if number < 10 ** 12 else f"about 10^{len(str(number)) - 1}"


def check_node(root) -> Refusal | None:
    """None if the document may be constructed; else the first reason it may not."""
    sizes: dict[int, int] = {}     # id(node) -> nodes once every alias under it is expanded
    heights: dict[int, int] = {}   # id(node) -> levels once expanded
    finished: list = []            # nodes in the order their measure was known (children first)
    if root.tag not in KNOWN_TAGS:
        return Refusal(f"unknown tag {short_tag(root.tag)}", root.start_mark)
    on_path = {id(root)}
    stack = [(root, _children(root), iter(_children(root)))]
    while stack:
        node, kids, pending = stack[-1]
        for child in pending:
            key = id(child)
            if key in sizes:  # an alias of a node already measured: counted, not walked again
                continue
            if key in on_path:
                return Refusal("a YAML alias refers to a node that contains it: the document would be infinite",
                               child.start_mark)
            if child.tag not in KNOWN_TAGS:
                return Refusal(f"unknown tag {short_tag(child.tag)}", child.start_mark)
            if isinstance(child, yaml.ScalarNode):
                sizes[key], heights[key] = 1, 1
                finished.append(child)
                continue
            on_path.add(key)
            grandchildren = _children(child)
            stack.append((child, grandchildren, iter(grandchildren)))
            break
        else:
            stack.pop()
            key = id(node)
            on_path.discard(key)
            sizes[key] = 1 + sum([sizes[id(kid)] for kid in kids])
            heights[key] = 1 + max([heights[id(kid)] for kid in kids], default=0)
            finished.append(node)
    if heights[id(root)] > MAX_DEPTH:
        deepest = next(node for node in finished if heights[id(node)] > MAX_DEPTH)
        return Refusal(f"the document nests more than {MAX_DEPTH} levels deep (aliases expanded)",
                       deepest.start_mark)
    written, expanded = len(sizes), sizes[id(root)]
    limit = max(EXPANSION_FLOOR, EXPANSION_RATIO * written)
    if expanded > limit:
        # The first node past the limit is the smallest: its line is where the expansion explodes.
        first = next(node for node in finished if sizes[id(node)] > limit)
        return Refusal(f"YAML aliases expand this document to {_count(expanded)} nodes from {written:,} written, "
                       f"more than the limit of {limit:,}: refused before expanding", first.start_mark)
    return None


def too_deep(value) -> bool:
    """Whether plain JSON values nest more than MAX_DEPTH levels (counted without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False
