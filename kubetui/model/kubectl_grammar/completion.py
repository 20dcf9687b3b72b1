"""What the word under the cursor is, so the command line can offer candidates for it.

`completion_context(line, cursor, table)` reads the line up to the cursor as the parser would
(leniently: an open quote or a half-typed flag is fine) and answers with the kind of thing being
typed (a command, a resource type, an object name of a type, a container of a pod, a flag of the
command, a namespace, a context, a file, one of a flag's fixed values) and the part typed so far.
Key decisions: the grammar fills the candidates it knows itself (commands, resource types from
the table, flag names, fixed values); names that live in the cluster or on disk are the caller's
to list, and the context carries what it needs for that (type, pod, namespace, context). `start`
is where the typed part begins in the line (a whole word's opening quote included), so
`line[start:cursor]` is what a candidate replaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from kubetui.model.kubectl_grammar import flag_tables as tables
from kubetui.model.kubectl_grammar.commands import ALIASES, COMMANDS, SUBCOMMANDS, VERBS, VIEW, Command
from kubetui.model.kubectl_grammar.flagset import Flag, FlagSet, GrammarError
from kubetui.model.kubectl_grammar.reading import SHOWN_OUTPUTS
from kubetui.model.kubectl_grammar.resources import ResourceTable
from kubetui.model.resource_names import ApiResource
from kubetui.model.command_words import Word, split_words


class Completing(str, Enum):
    VERB = "verb"                    # a command, or a resource type (a bare one switches the view)
    SUBCOMMAND = "subcommand"
    RESOURCE_TYPE = "resource_type"
    OBJECT_NAME = "object_name"      # of `resource`
    CONTAINER = "container"          # of `pod` (None if no pod is named yet)
    FLAG = "flag"
    NAMESPACE = "namespace"
    CONTEXT = "context"
    FILE = "file"
    VALUE = "value"                  # one of `choices`
    NOTHING = "nothing"              # free text: a command after --, a label, a port


@dataclass(frozen=True)
class CompletionContext:
    kind: Completing
    prefix: str
    start: int
    choices: tuple[str, ...] = ()
    resource: ApiResource | None = None
    pod: str | None = None
    namespace: str | None = None
    all_namespaces: bool = False
    context: str | None = None
    command: str | None = None
    flag: str | None = None


_GLOBALS = FlagSet(tables.GLOBAL)
_TYPED_POSITIONALS = {"get", "describe", "delete", "edit", "label", "annotate", "scale", "rollout status",
                      "rollout restart", "rollout undo", "rollout history"}
_POD_POSITIONAL = {"logs", "exec", "port-forward"}
_VALUE_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("get", "output"): SHOWN_OUTPUTS, ("api-resources", "output"): ("wide", "name"),
    ("version", "output"): ("yaml", "json"), ("api-resources", "sort-by"): ("name", "kind"),
}


@dataclass
class _State:
    command: Command | None = None
    parent: str | None = None
    positionals: list[str] = field(default_factory=list)
    after_dash: bool = False
    pending: Flag | None = None       # a flag whose value is the next word
    namespace: str | None = None
    context: str | None = None
    all_namespaces: bool = False

    @property
    def flags(self) -> FlagSet:
        return self.command.flag_set if self.command else _GLOBALS


def completion_context(line: str, cursor: int | None = None,
                       table: ResourceTable | None = None) -> CompletionContext:
    cursor = len(line) if cursor is None else cursor
    table = table or ResourceTable(())
    split = split_words(line[:cursor], lenient=True)
    words = list(split.words)
    if words and not split.trailing_blank and words[-1].end == cursor:
        current = words.pop()
    else:
        current = Word("", cursor, cursor, ())
    state = _State()
    for index, word in enumerate(words):
        if index == 0 and word.text == "kubectl":
            continue
        _advance(state, word.text, table)
    later = split_words(line[cursor:], lenient=True).words
    scope = _State(command=state.command, namespace=state.namespace, context=state.context,
                   all_namespaces=state.all_namespaces, after_dash=state.after_dash)
    for word in later[1:] if later and later[0].start == 0 else later:
        _advance(scope, word.text, table, scope_only=True)
    return _classify(state, current, table, scope)


def _advance(state: _State, text: str, table: ResourceTable, scope_only: bool = False) -> None:
    """One complete word: a flag (maybe with its value), a flag's value, or a positional."""
    if state.pending is not None:
        _remember(state, state.pending, text)
        state.pending = None
        return
    if text.startswith("-") and len(text) > 1 and not state.after_dash:
        if text == "--":
            state.after_dash = True
            return
        flag, value = _flag_in(text, state.flags)
        if flag is not None and value is None and not flag.no_opt_default:
            state.pending = flag
        elif flag is not None:
            _remember(state, flag, value if value is not None else flag.no_opt_default)
        return
    if scope_only:
        return
    if state.command is None:
        verb = ALIASES.get(text, text)
        if state.parent:
            path = ALIASES.get(f"{state.parent} {verb}", f"{state.parent} {verb}")
            state.command = COMMANDS.get(path)
        elif verb in SUBCOMMANDS:
            state.parent = verb
        elif verb in COMMANDS:
            state.command = COMMANDS[verb]
        else:
            state.command = VIEW
            state.positionals.append(text)
        return
    state.positionals.append(text)


def _flag_in(text: str, flags: FlagSet) -> tuple[Flag | None, str | None]:
    """The flag a complete word sets and its inline value (None: the value is the next word)."""
    if text.startswith("--"):
        name, has_value, value = text[2:].partition("=")
        return flags.by_name.get(name.replace("_", "-")), value if has_value else None
    chars = text[1:]
    while chars:
        flag = flags.by_short.get(chars[0])
        if flag is None:
            return None, ""
        if len(chars) > 2 and chars[1] == "=":
            return flag, chars[2:]
        if not flag.no_opt_default:
            return flag, chars[1:] if len(chars) > 1 else None
        if len(chars) == 1:
            return flag, flag.no_opt_default
        chars = chars[1:]
    return None, ""


def _remember(state: _State, flag: Flag, value: str) -> None:
    if flag.name == "namespace" and (state.command is None or state.command.path != "config set-context"):
        state.namespace = value or None
    elif flag.name == "context":
        state.context = value or None
    elif flag.name == "all-namespaces":
        state.all_namespaces = value in ("true", "1", "t", "T", "TRUE", "True")


def _classify(state: _State, word: Word, table: ResourceTable, scope: _State) -> CompletionContext:
    base = {"namespace": scope.namespace, "all_namespaces": scope.all_namespaces, "context": scope.context,
            "command": state.command.path if state.command else None}

    def at(kind: Completing, index: int = 0, **extra) -> CompletionContext:
        # A whole word is replaced from its first character, its opening quote included.
        start = word.start if index == 0 else word.offset_of(index)
        return CompletionContext(kind, word.text[index:], start, **{**base, **extra})

    if state.pending is not None:
        return _value(state, state.pending, word, 0, table, at)
    text = word.text
    if text.startswith("-") and not state.after_dash:
        if text.startswith("--") and "=" in text:
            flag = state.flags.by_name.get(text[2:text.index("=")].replace("_", "-"))
            if flag is not None:
                return _value(state, flag, word, text.index("=") + 1, table, at)
        elif not text.startswith("--") and len(text) > 2:
            flag, inline = _flag_in(text, state.flags)
            if flag is not None and inline is not None and not flag.no_opt_default:
                index = len(text) - len(inline)
                return _value(state, flag, word, index, table, at)
        return at(Completing.FLAG, choices=_flag_names(state.flags))
    if state.command is not None:
        return _positional(state, state.command, word, table, at)
    if state.parent is None:
        return at(Completing.VERB, choices=tuple(VERBS) + tuple(table.names()))
    subs = tuple(path.split()[1] for path in COMMANDS if path.startswith(state.parent + " "))
    return at(Completing.SUBCOMMAND, choices=subs)


def _positional(state: _State, command: Command, word: Word, table: ResourceTable, at) -> CompletionContext:
    path, index, text = command.path, len(state.positionals), word.text
    first = state.positionals[0] if state.positionals else ""
    if path in _POD_POSITIONAL and not state.after_dash:
        if index == 0:
            return _object(text, table, at, default_type="pods")
        if path == "logs" and index == 1:
            return at(Completing.CONTAINER, pod=first or None)
    if path in _TYPED_POSITIONALS:
        if path in ("label", "annotate") and ("=" in text or any("=" in p for p in state.positionals)):
            return at(Completing.NOTHING)
        if index == 0 or "/" in first or "/" in text:
            return _object(text, table, at)
        return _object(f"{first.split(',')[0]}/{text}", table, at, shift=len(first.split(",")[0]) + 1)
    if path == "explain" and index == 0 and "." not in text:
        return _object(text, table, at)
    if path in ("config use-context", "config set-context") and index == 0:
        return at(Completing.CONTEXT)
    return at(Completing.NOTHING)


def _object(text: str, table: ResourceTable, at, default_type: str | None = None, shift: int = 0):
    """A resource type (maybe one of a comma list), or an object name after `TYPE/`."""
    if "/" in text:
        kind, _, _ = text.partition("/")
        try:
            resource = table.resolve(kind)
        except GrammarError:
            return at(Completing.NOTHING)
        return at(Completing.OBJECT_NAME, len(kind) + 1 - shift, resource=resource)
    if default_type is not None:
        try:
            return at(Completing.OBJECT_NAME, resource=table.resolve(default_type))
        except GrammarError:
            return at(Completing.NOTHING)
    comma = text.rfind(",") + 1
    return at(Completing.RESOURCE_TYPE, comma, choices=tuple(table.names()) + tuple(table.categories()))


def _value(state: _State, flag: Flag, word: Word, index: int, table: ResourceTable, at) -> CompletionContext:
    path = state.command.path if state.command else ""
    if flag.name == "namespace":
        return at(Completing.NAMESPACE, index, flag=flag.name)
    if flag.name == "context":
        return at(Completing.CONTEXT, index, flag=flag.name)
    if flag.name == "filename":
        return at(Completing.FILE, index, flag=flag.name)
    if flag.name == "container":
        pod = state.positionals[0] if state.positionals else None
        return at(Completing.CONTAINER, index, flag=flag.name, pod=pod)
    if flag.name == "dry-run":
        return at(Completing.VALUE, index, flag=flag.name, choices=("none", "client", "server"))
    choices = _VALUE_CHOICES.get((path, flag.name))
    if choices:
        return at(Completing.VALUE, index, flag=flag.name, choices=choices)
    return at(Completing.NOTHING, index, flag=flag.name)


def _flag_names(flags: FlagSet) -> tuple[str, ...]:
    """The flags kubetui acts on for this command, long forms then shorthands."""
    supported = [flag for flag in flags if flag.supported]
    return tuple(f"--{f.name}" for f in supported) + tuple(f"-{f.shorthand}" for f in supported if f.shorthand)
