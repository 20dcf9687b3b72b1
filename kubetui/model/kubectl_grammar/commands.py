"""The command line as a whole: which command a line names, and the typed request it asks for.

`parse_command_line(":line", table)` splits the words, drops a leading `kubectl`, reads global
flags placed before the command (`-n ns get pods`), finds the command and its subcommand
(`rollout status`, `config use-context`, `create namespace`), parses the flags wherever they
stand, refuses flags kubetui does not act on by name, and hands the rest to the command's
builder. A first word that is no command but a resource type (`deploy`, `pods`) switches the
view, as in k9s. Key decisions: kubectl commands kubetui does not run get one line naming
them (`"cp" is not supported inside kubetui`), never kubectl's "unknown command"; and nothing
here does I/O: discovery data comes in as a `ResourceTable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kubetui.model.kubectl_grammar import flag_tables as tables
from kubetui.model.kubectl_grammar import reading, sessions, writing
from kubetui.model.kubectl_grammar.flagset import Flag, FlagSet, GrammarError, Parsed, flag_table, parse_flags
from kubetui.model.kubectl_grammar.requests import Request, readonly_refusal
from kubetui.model.kubectl_grammar.resources import ResourceTable
from kubetui.model.command_words import WordsError, split_words


@dataclass(frozen=True)
class Command:
    path: str
    flags: tuple[Flag, ...]
    build: Callable[[Parsed, ResourceTable], Request]

    @property
    def flag_set(self) -> FlagSet:
        return FlagSet(self.flags, tables.GLOBAL)


COMMANDS = {command.path: command for command in (
    Command("get", tables.GET, reading.build_get),
    Command("describe", tables.DESCRIBE, reading.build_describe),
    Command("logs", tables.LOGS, reading.build_logs),
    Command("exec", tables.EXEC, sessions.build_exec),
    Command("apply", tables.APPLY, writing.build_apply),
    Command("delete", tables.DELETE, writing.build_delete),
    Command("scale", tables.SCALE, writing.build_scale),
    Command("rollout status", tables.ROLLOUT_STATUS, writing.build_rollout("status")),
    Command("rollout restart", tables.ROLLOUT_RESTART, writing.build_rollout("restart")),
    Command("rollout undo", tables.ROLLOUT_UNDO, writing.build_rollout("undo")),
    Command("rollout history", tables.ROLLOUT_HISTORY, writing.build_rollout("history")),
    Command("label", tables.LABEL, writing.build_metadata("label")),
    Command("annotate", tables.ANNOTATE, writing.build_metadata("annotation")),
    Command("create namespace", tables.CREATE_NAMESPACE, writing.build_create_namespace),
    Command("edit", tables.EDIT, writing.build_edit),
    Command("port-forward", tables.PORT_FORWARD, sessions.build_port_forward),
    Command("config use-context", tables.USE_CONTEXT, sessions.build_use_context),
    Command("config set-context", tables.SET_CONTEXT, sessions.build_set_context),
    Command("api-resources", tables.API_RESOURCES, reading.build_api_resources),
    Command("explain", tables.EXPLAIN, reading.build_explain),
    Command("version", tables.VERSION, reading.build_version),
    Command("cluster-info", tables.CLUSTER_INFO, reading.build_cluster_info),
)}

VIEW = Command("view", flag_table("""
A all-namespaces bool +
l selector string +
"""), reading.build_view)

# Subcommands kubectl has under each parent (aliases map to their command).
SUBCOMMANDS = {
    "rollout": ("history", "pause", "restart", "resume", "status", "undo"),
    "config": ("current-context", "delete-cluster", "delete-context", "delete-user", "get-clusters",
               "get-contexts", "get-users", "rename-context", "set", "set-cluster", "set-context",
               "set-credentials", "unset", "use-context", "view"),
    "create": ("clusterrole", "clusterrolebinding", "configmap", "cronjob", "deployment", "ingress", "job",
               "namespace", "poddisruptionbudget", "priorityclass", "quota", "role", "rolebinding", "secret",
               "service", "serviceaccount", "token"),
}
ALIASES = {"create ns": "create namespace", "config use": "config use-context", "clusterinfo": "cluster-info"}

# kubectl 1.37's top-level commands.
KUBECTL_COMMANDS = (
    "alpha", "annotate", "api-resources", "api-versions", "apply", "attach", "auth", "autoscale", "certificate",
    "cluster-info", "completion", "config", "cordon", "cp", "create", "debug", "delete", "describe", "diff",
    "drain", "edit", "events", "exec", "explain", "expose", "get", "help", "kuberc", "kustomize", "label",
    "logs", "options", "patch", "plugin", "port-forward", "proxy", "replace", "rollout", "run", "scale", "set",
    "taint", "top", "uncordon", "version", "wait",
)
VERBS = tuple(sorted({path.split()[0] for path in COMMANDS}))

_GLOBALS = FlagSet(tables.GLOBAL)


def parse_command_line(line: str, table: ResourceTable, *, readonly: bool = False) -> Request:
    """The request a `:` line asks for; GrammarError (one line for the user) if there is none."""
    try:
        words = [word.text for word in split_words(line).words]
    except WordsError as exc:
        raise GrammarError(str(exc)) from None
    return parse_argv(words, table, readonly=readonly)


def parse_argv(argv: list[str], table: ResourceTable, *, readonly: bool = False) -> Request:
    """As parse_command_line, from words already split (kubectl's argv, `kubectl` optional)."""
    command, parsed, rest = find_command(argv, table)
    parse_flags(rest, command.flag_set, parsed)
    for flag, typed in parsed.given:
        if not flag.supported:
            shown = f"--{flag.name}" if typed.startswith("--") else f"-{flag.shorthand}"
            raise GrammarError(f'"{shown}" is not supported inside kubetui')
    request = command.build(parsed, table)
    refusal = readonly_refusal(request) if readonly else None
    if refusal:
        raise GrammarError(refusal)
    return request


def find_command(argv: list[str], table: ResourceTable) -> tuple[Command, Parsed, list[str]]:
    """The command, the global flags read before it, and the words after it."""
    words = list(argv)
    if words[:1] == ["kubectl"]:
        words = words[1:]
    parsed = parse_flags(words, _GLOBALS, interspersed=False)
    if not parsed.args:
        raise GrammarError("nothing to run: type a command (get pods) or a resource type (deploy)")
    verb, rest = parsed.args[0], parsed.args[1:]
    parsed.args, parsed.args_len_at_dash = [], -1
    verb = ALIASES.get(verb, verb)
    if verb in SUBCOMMANDS:
        try:
            parse_flags(rest, _GLOBALS, parsed, interspersed=False)
        except GrammarError:
            if verb != "create":
                raise
            parsed.args = []  # `create -f FILE`: create's own flags, kubetui has none of them
        if not parsed.args:
            if verb == "create":
                raise GrammarError('"create" is supported only as "create namespace NAME" inside kubetui '
                                   "(to create from files: apply -f FILE)")
            raise GrammarError(f'error: "{verb}" needs a subcommand: {_subcommands_of(verb)}')
        sub, rest = parsed.args[0], parsed.args[1:]
        parsed.args, parsed.args_len_at_dash = [], -1
        path = ALIASES.get(f"{verb} {sub}", f"{verb} {sub}")
        if path in COMMANDS:
            return COMMANDS[path], parsed, rest
        if sub in SUBCOMMANDS[verb]:
            raise GrammarError(f'"{path}" is not supported inside kubetui')
        raise GrammarError(f'error: unknown command "{sub}" for "kubectl {verb}"')
    if verb in COMMANDS:
        return COMMANDS[verb], parsed, rest
    if verb in KUBECTL_COMMANDS:
        raise GrammarError(f'"{verb}" is not supported inside kubetui')
    try:
        table.resolve_types(verb)
    except GrammarError:
        raise GrammarError(_unknown(verb, table)) from None
    return VIEW, parsed, [verb, *rest]


def _subcommands_of(verb: str) -> str:
    names = [path.split()[1] for path in COMMANDS if path.startswith(verb + " ")]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def _unknown(word: str, table: ResourceTable) -> str:
    """kubectl's words, with a "did you mean" among commands and resource types (cobra's rule:
    a prefix, or at most two edits away), the nearest first."""
    message = f'error: unknown command "{word}" for "kubectl"'
    ranked = sorted((_distance(word, name), index, name)
                    for index, name in enumerate((*VERBS, *table.names())))
    near = [name for distance, _, name in ranked if distance <= 2]
    return f'{message} (did you mean "{near[0]}"?)' if near else message


def _distance(typed: str, name: str) -> int:
    """Levenshtein distance, 0 when `typed` is a prefix of `name`."""
    typed = typed.lower()
    if typed and name.startswith(typed):
        return 0
    previous = list(range(len(name) + 1))
    for i, a in enumerate(typed, 1):
        current = [i]
        for j, b in enumerate(name, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]
