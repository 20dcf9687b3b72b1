"""Failures that are not about one manifest: a read-only user, an unreachable server."""

from __future__ import annotations

import re
import socket

import pytest
from kubernetes import config

from kubetui.errors import KubetuiError
from kubetui.kube.applying import Applier
from kubetui.model import parse_manifests

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: a\n    image: b\n"


def test_the_viewer_context_gets_the_servers_403_for_dry_runs_and_applies(kubeconfig_path, namespace, tmp_path, raw):
    client = config.new_client_from_config(config_file=str(kubeconfig_path), context="kubetui-local-viewer")
    try:
        applier = Applier(client, namespace, cache_file=tmp_path / "d.json")
        objects = parse_manifests(POD).manifests
        expected = (f'Error from server (Forbidden): pods "web" is forbidden: User "viewer" cannot patch resource '
                    f'"pods" in API group "" in the namespace "{namespace}"')
        assert [o.message for o in applier.plan(objects)] == [expected]
        report = applier.apply(objects)
        assert not report.sent and [o.message for o in report.outcomes] == [expected]
        assert report.outcomes[0].title == "Forbidden"
    finally:
        client.close()
    assert raw.json("GET", f"/api/v1/namespaces/{namespace}/pods", expect=200)["items"] == []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_server_is_one_clear_error(kubeconfig_path, tmp_path):
    dead = tmp_path / "dead-kubeconfig"
    port = free_port()
    text = kubeconfig_path.read_text()


    dead.write_text(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", text))
    client = config.new_client_from_config(config_file=str(dead))
    try:
        applier = Applier(client, "default", cache_file=tmp_path / "d.json")
        with pytest.raises(KubetuiError) as caught:
            applier.apply(parse_manifests(POD).manifests)
    finally:
        client.close()
    assert caught.value.message == f"cannot reach https://127.0.0.1:{port}: is the cluster running?"
    assert caught.value.title == "Unreachable"
