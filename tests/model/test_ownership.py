"""Down the ownership: where Enter leads from each kind, and which rows a parent owns."""

from __future__ import annotations

import pytest

from kubetui.model.ownership import Descent, descend, owned_rows, pod_owned_by
from kubetui.model.table_rows import ResourceRow


def row(name, *, namespace="ns", uid="", owners=()):
    return ResourceRow(namespace, name, uid or f"uid-{name}", (name,), {}, tuple(owners), None)


@pytest.mark.parametrize("group, kind, namespace, expected", [
    ("apps", "Deployment", "ns", Descent("apps", "replicasets", "ns", "web", owner_uid="uid-web")),
    ("apps", "ReplicaSet", "ns", Descent("", "pods", "ns", "web", owner_uid="uid-web")),
    ("apps", "StatefulSet", "ns", Descent("", "pods", "ns", "web", owner_uid="uid-web")),
    ("batch", "CronJob", "ns", Descent("batch", "jobs", "ns", "web", owner_uid="uid-web")),
    ("", "Node", "", Descent("", "pods", None, "web", field_selector="spec.nodeName=web")),
    ("", "Namespace", "", Descent("", "pods", "web", "web")),
    ("", "Pod", "ns", Descent("", "containers", "ns", "web")),
    ("", "ConfigMap", "ns", None),
    ("example.com", "Deployment", "ns", None),  # a CRD that shares a built-in kind's name
])
def test_where_enter_leads(group, kind, namespace, expected):
    assert descend(group, kind, row("web", namespace=namespace)) == expected


def test_children_are_found_by_owner_uid_not_by_name():
    parent = "uid-parent"
    rows = [row("web-abc", owners=[("ReplicaSet", "web", parent)]),
            row("web-lookalike"),  # the parent's name, but no owner reference
            row("other", owners=[("ReplicaSet", "web", "uid-another-web")])]
    assert [r.name for r in owned_rows(rows, parent)] == ["web-abc"]


def test_pod_owned_by_reads_owner_references_of_a_plain_object():
    pod = {"metadata": {"ownerReferences": [{"uid": "a"}, {"uid": "b"}]}}
    assert pod_owned_by(pod, "b") and not pod_owned_by(pod, "c") and not pod_owned_by({}, "a")
