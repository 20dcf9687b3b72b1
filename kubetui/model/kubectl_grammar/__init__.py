"""kubectl's command-line grammar for kubetui's `:` line: words in, a typed request out.

Pure: no I/O, no clock, no client. The caller passes the server's discovery data as a
`ResourceTable`; `parse_command_line` returns one `Request` dataclass per command (or raises
`GrammarError` with one line in kubectl's words), `readonly_refusal` says what `--readonly`
refuses, and `completion_context` says what the word under the cursor is, for completion.
"""

from __future__ import annotations

from kubetui.model.kubectl_grammar.commands import parse_argv, parse_command_line
from kubetui.model.kubectl_grammar.completion import Completing, CompletionContext, completion_context
from kubetui.model.kubectl_grammar.flagset import GrammarError
from kubetui.model.kubectl_grammar.requests import (
    AnnotateRequest, ApiResourcesRequest, ApplyRequest, ClusterInfoRequest, CreateNamespaceRequest,
    DeleteRequest, DescribeRequest, EditRequest, ExecRequest, ExplainRequest, GetRequest, LabelRequest,
    PORT_FORWARD_READONLY, LogsRequest, MetadataChange, PortForwardRequest, PortMapping, Request, RolloutRequest,
    ScaleRequest, SetContextNamespaceRequest, UseContextRequest, VersionRequest, ViewRequest, readonly_refusal,
)
from kubetui.model.kubectl_grammar.sessions import port_mapping
from kubetui.model.kubectl_grammar.resources import ApiResource, ResourceTable, Target
from kubetui.model.kubectl_grammar.sessions import kubectl_default_container

__all__ = [
    "AnnotateRequest", "ApiResourcesRequest", "ApplyRequest", "ClusterInfoRequest", "Completing",
    "CompletionContext", "CreateNamespaceRequest", "DeleteRequest", "DescribeRequest", "EditRequest",
    "ExecRequest", "ExplainRequest", "GetRequest", "GrammarError", "LabelRequest", "LogsRequest",
    "MetadataChange", "PORT_FORWARD_READONLY", "PortForwardRequest", "PortMapping", "Request", "ApiResource", "ResourceTable",
    "RolloutRequest", "ScaleRequest", "SetContextNamespaceRequest", "Target", "UseContextRequest",
    "VersionRequest", "ViewRequest", "completion_context", "kubectl_default_container", "parse_argv",
    "parse_command_line", "port_mapping", "readonly_refusal",
]
