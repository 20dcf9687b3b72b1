"""Reading manifest text: documents, YAML or JSON, with where each part of them stands.

Key decisions: the text is split at `---` lines the way kubectl's YAML reader splits it (the
separator may be followed only by a comment), and every document is parsed on its own, so a
syntax error in one document is reported at its line and column while the others still parse.
JSON (a text starting with `{` or `[`, possibly several concatenated objects) is read with the
json module for its precise error positions. Values stay JSON-compatible: timestamps are not
turned into dates, duplicate keys are an error (as go-yaml says: `key "x" already set in map`).
Hostile text cannot hurt: each composed document passes `manifest_bounds.check_node` (alias
expansion, depth, tags) before any value is built, and whatever a document does, reading it
gives a Document with an error at a line, never an exception.
"""

from __future__ import annotations

import base64
import json
import sys
from dataclasses import dataclass, field

import yaml

from kubetui.model.manifest_bounds import MAX_DEPTH, check_node, short_tag, too_deep


@dataclass
class Document:
    """One parsed document: its data, or the syntax error that stopped it."""

    number: int                 # 1-based position among the source's documents
    line: int                   # 1-based first line of the document's content
    data: object = None
    error: str = ""
    error_line: int = 0
    error_column: int = 0
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # field path -> (line, column)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader without timestamp resolution: Kubernetes reads `2024-01-01` as a string.
    libyaml's parser when present: 10x faster, and its messages are go-yaml's (a port of it)."""

    def construct_object(self, node, deep=False):
        # A scalar its explicit tag cannot read (`!!int abc`, `!!bool maybe`) fails in int(),
        # float() or a dict lookup: give that failure the node's line like any YAML error.
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, TypeError):
            what = repr(_clip(node.value)) if isinstance(node, yaml.ScalarNode) else f"this {node.id}"
            raise yaml.constructor.ConstructorError(None, None, f"cannot read {what} as {short_tag(node.tag)}",
                                                    node.start_mark) from None


# Neither `2024-01-01` nor `=` means anything special to Kubernetes (go-yaml reads both as strings;
# PyYAML would make a date, and fail on `=`'s "value" tag, which it has no constructor for).
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# An explicit `!!timestamp` keeps the text as written: JSON has no dates.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def split_documents(text: str) -> list[tuple[int, str]]:
    """(first line index, text) of each `---`-separated chunk, including empty ones."""
    chunks: list[tuple[int, str]] = []
    start, lines = 0, []  # type: tuple[int, list[str]]
    for index, line in enumerate(text.splitlines(keepends=True)):
        rest = line[3:].strip() if line.startswith("---") else None
        if rest is not None and (not rest or rest.startswith("#")):
            chunks.append((start, "".join(lines)))
            start, lines = index + 1, []
        else:
            lines.append(line)
    chunks.append((start, "".join(lines)))
    return chunks


def _is_blank(chunk: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in chunk.splitlines())


def read_documents(text: str) -> list[Document]:
    """Every non-empty document of `text`, parsed or carrying the error that stopped it."""
    documents: list[Document] = []
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        return _read_json(text)
    for first_line, chunk in split_documents(text):
        if _is_blank(chunk):
            continue
        if chunk.lstrip()[:1] == "{":  # a JSON document between YAML ones: JSON's error positions
            documents.extend(_read_json(chunk, first_line, len(documents)))
        else:
            documents.extend(_read_yaml_chunk(chunk, first_line, len(documents) + 1))
    return documents


def _read_yaml_chunk(chunk: str, first_line: int, number: int) -> list[Document]:
    content_line = first_line + 1 + next(i for i, line in enumerate(chunk.splitlines())
                                         if line.strip() and not line.lstrip().startswith("#"))
    try:
        nodes = list(yaml.compose_all(chunk, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        return [_marked_error(exc, number, content_line, first_line, "YAML syntax error: ")]
    except yaml.reader.ReaderError as exc:  # a control character: its offset, not a mark
        line = first_line + 1 + chunk.encode("utf-8", "surrogatepass")[:exc.position].count(b"\n")
        return [Document(number, content_line, error=f"YAML syntax error: unacceptable character "
                         f"#x{exc.character:04x}: {exc.reason}" if isinstance(exc.character, int)
                         else f"YAML syntax error: {exc.reason}", error_line=line)]
    except yaml.YAMLError as exc:
        return [Document(number, content_line, error=f"YAML syntax error: {_one_line(str(exc))}",
                         error_line=content_line)]
    except UnicodeEncodeError as exc:  # a lone surrogate (pasted text): libyaml reads UTF-8 only
        line = first_line + 1 + chunk.count("\n", 0, exc.start)
        return [Document(number, content_line, error=f"YAML syntax error: invalid character "
                         f"{chunk[exc.start]!r} (an unpaired surrogate)", error_line=line)]
    except RecursionError:  # PyYAML's own composer (no libyaml) recurses once per level
        return [Document(number, content_line, error=f"the document nests more than {MAX_DEPTH} levels deep",
                         error_line=content_line)]
    return [_read_node(node, number, first_line) for node in nodes if node is not None]


def _read_node(node, number: int, first_line: int) -> Document:
    """One composed document: bounded first, then checked for duplicate keys, then built."""
    doc = Document(number, first_line + node.start_mark.line + 1)
    refusal = check_node(node)
    if refusal is not None:
        mark = refusal.mark or node.start_mark
        doc.error, doc.error_line, doc.error_column = refusal.message, first_line + mark.line + 1, mark.column + 1
        return doc
    duplicate = _duplicate_key(node)
    if duplicate:
        key, mark = duplicate
        doc.error_line, doc.error_column = first_line + mark.line + 1, mark.column + 1
        doc.error = f"YAML syntax error: key {json.dumps(key)} already set in map"
        return doc
    try:
        doc.data = _jsonable(_Loader("").construct_document(node))
    except yaml.MarkedYAMLError as exc:  # a value its tag cannot read: `!!int abc`, `!!str {a: 1}`
        return _marked_error(exc, number, doc.line, first_line, "")
    _record_positions(node, "", first_line, doc.positions)
    return doc


def _marked_error(exc: yaml.MarkedYAMLError, number: int, line: int, first_line: int, prefix: str) -> Document:
    mark = exc.problem_mark or exc.context_mark
    error_line = first_line + mark.line + 1 if mark else line
    column = (mark.column + 1) if mark else 0
    message = prefix + _one_line(exc.problem or exc.context or "")
    if exc.context and exc.problem and exc.context_mark:
        message += f" ({_one_line(exc.context)} at line {first_line + exc.context_mark.line + 1})"
    return Document(number, line, error=message, error_line=error_line, error_column=column)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _duplicate_key(node) -> tuple[str, yaml.Mark] | None:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                return name, key.start_mark
            seen.add(name)
            found = _duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _duplicate_key(item)
            if found:
                return found
    return None


def _record_positions(node, path: str, first_line: int, out: dict) -> None:
    """`spec.containers[0].image` -> (line, column) of that key (of the item, for list items)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            out[child] = (first_line + key.start_mark.line + 1, key.start_mark.column + 1)
            _record_positions(value, child, first_line, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = f"{path}[{index}]"
            out[child] = (first_line + item.start_mark.line + 1, item.start_mark.column + 1)
            _record_positions(item, child, first_line, out)


def _read_json(text: str, first_line: int = 0, numbered_before: int = 0) -> list[Document]:
    """Concatenated JSON values (kubectl's JSON stream); an error stops the rest of the text."""
    decoder = json.JSONDecoder()
    documents: list[Document] = []
    offset = 0
    while True:
        while offset < len(text) and text[offset].isspace():
            offset += 1
        if offset >= len(text):
            return documents
        line = first_line + text.count("\n", 0, offset) + 1
        number = numbered_before + len(documents) + 1
        try:
            data, end = decoder.raw_decode(text, offset)
        except json.JSONDecodeError as exc:
            documents.append(Document(number, line, error=f"JSON syntax error: {exc.msg}",
                                      error_line=first_line + exc.lineno, error_column=exc.colno))
            return documents
        except RecursionError:
            data, end = None, -1
        except ValueError:  # Python reads no integer of more than 4300 digits
            documents.append(Document(number, line, error=f"JSON error: a number of more than "
                                      f"{sys.get_int_max_str_digits()} digits", error_line=line))
            return documents
        if end < 0 or too_deep(data):
            documents.append(Document(number, line, error=f"the document nests more than {MAX_DEPTH} levels deep",
                                      error_line=line))
            return documents
        doc = Document(number, line, data=data)
        try:  # JSON is YAML: its node marks give the positions of the fields
            node = yaml.compose(text[offset:end], Loader=_Loader)
            if node is not None:
                _record_positions(node, "", line - 1, doc.positions)
        except (yaml.YAMLError, UnicodeEncodeError):  # positions are a help: the data stands without them
            pass
        documents.append(doc)
        offset = end


def _jsonable(value):
    """What sigs.k8s.io/yaml would give to JSON: string keys, base64 for !!binary."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value
