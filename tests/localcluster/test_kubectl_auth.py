"""`kubectl auth can-i`, `auth can-i --list`, `auth whoami` and `--as`, answered from the same
RBAC rules every request is authorized with (admin token vs viewer token)."""

from __future__ import annotations

import pytest

from kubetui.localcluster.apiserver.auth import VIEWER as VIEWER_USER
from kubetui.localcluster.registry.resources import default_registry

VIEWER = ("--context", "kubetui-local-viewer")


@pytest.mark.parametrize("context, args, answer", [
    pytest.param((), ("create", "pods"), "yes", id="admin-create"),
    pytest.param((), ("*", "*"), "yes", id="admin-everything"),
    pytest.param(VIEWER, ("create", "pods"), "no", id="viewer-create"),
    pytest.param(VIEWER, ("list", "deployments.apps", "-A"), "yes", id="viewer-list"),
    pytest.param(VIEWER, ("get", "pods/log"), "yes", id="viewer-logs"),
    pytest.param(VIEWER, ("create", "pods/exec"), "no", id="viewer-exec"),
    pytest.param(VIEWER, ("get", "/healthz"), "yes", id="viewer-healthz"),
    pytest.param(VIEWER, ("get", "secrets"), "no", id="viewer-secrets"),
    pytest.param((), ("get", "secrets", "--as=viewer"), "no", id="as-viewer-secrets"),
    pytest.param(VIEWER, ("list", "jobs.batch"), "yes", id="viewer-jobs"),
])
def test_can_i(kubectl, context, args, answer):
    result = kubectl(*context, "auth", "can-i", *args)
    assert (result.stdout.strip(), result.returncode) == (answer, 0 if answer == "yes" else 1), result.stderr


def test_whoami_and_the_rules_of_the_viewer(kubectl):
    assert kubectl("auth", "whoami").stdout == (
        "ATTRIBUTE   VALUE\nUsername    kubetui-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n")
    assert kubectl(*VIEWER, "auth", "whoami").stdout == (
        "ATTRIBUTE   VALUE\nUsername    viewer\nGroups      [system:authenticated]\n")
    rules = kubectl(*VIEWER, "auth", "can-i", "--list").stdout.splitlines()
    assert rules[0].split() == ["Resources", "Non-Resource", "URLs", "Resource", "Names", "Verbs"]
    assert ["selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]"] in [r.split() for r in rules]
    read = [r.split()[0] for r in rules if r.split()[-3:] == ["[get", "list", "watch]"]]
    assert {"pods", "pods/log", "configmaps", "*.apps", "*.batch"} <= set(read)
    assert "*.*" not in read and "secrets" not in read
    assert ["*.*", "[]", "[]", "[*]"] in [r.split() for r in kubectl("auth", "can-i", "--list").stdout.splitlines()]


def test_the_viewer_reads_every_served_kind_but_secrets():
    """RBAC cannot exclude: the viewer's role lists what it reads, so a newly served kind must join it."""
    readable = {resource.plural for resource in default_registry() if "list" in resource.verbs
                and VIEWER_USER.allowed("list", resource.group, resource.plural) is not None}
    listable = {resource.plural for resource in default_registry() if "list" in resource.verbs}
    assert listable - readable == {"secrets"}


def test_impersonation_needs_the_impersonate_verb(kubectl, namespace):
    refused = kubectl(*VIEWER, "get", "pods", "--as=admin")
    assert refused.stderr.strip() == ('Error from server (Forbidden): users "admin" is forbidden: User "viewer" '
                                      'cannot impersonate resource "users" in API group "" at the cluster scope')
    stranger = kubectl("get", "pods", "-n", namespace, "--as=someone")
    assert stranger.stderr.strip() == ('Error from server (Forbidden): pods is forbidden: User "someone" cannot '
                                       f'list resource "pods" in API group "" in the namespace "{namespace}"')
    assert kubectl("get", "pods", "-n", namespace, "--as=viewer").returncode == 0
    as_viewer = kubectl("create", "configmap", "x", "-n", namespace, "--as=viewer")
    assert "User \"viewer\" cannot create resource \"configmaps\"" in as_viewer.stderr
    assert kubectl("auth", "whoami", "--as=someone", "--as-group=team").stdout.splitlines()[2].split() == [
        "Groups", "[team", "system:authenticated]"]


def test_reviews_are_created_never_listed(raw):
    status, _, _ = raw.request("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
    assert status == 405
    body = raw.json("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                    {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {}},
                    expect=422)
    assert body["message"] == ('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: '
                               'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes '
                               'must be specified')
    review = raw.json("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
        "spec": {"resourceAttributes": {"verb": "delete", "resource": "nodes"}}}, expect=201)
    assert review["status"] == {"allowed": True, "reason": 'RBAC: allowed by ClusterRoleBinding '
                                '"kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"'}
