"""Real kubectl reading from the local API server: tables, short names, -A, -o json/wide, -l, -w."""

from __future__ import annotations

import json
import subprocess
import threading

import pytest

from tests.support.pods import container, pod_manifest


@pytest.fixture
def two_pods(raw, namespace):
    for name, tier in (("alpha", "web"), ("beta", "db")):
        raw.create_pod(namespace, pod_manifest(name, namespace=namespace, labels={"tier": tier}))
    return namespace


def header_and_rows(stdout: str) -> tuple[list[str], list[list[str]]]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    split = [line.split() for line in lines]
    return split[0], split[1:]


def test_get_pods_prints_the_server_side_table(kubectl, two_pods):
    result = kubectl("get", "pods", "-n", two_pods)
    assert result.returncode == 0, result.stderr
    header, rows = header_and_rows(result.stdout)
    assert header == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert [row[:4] for row in rows] == [["alpha", "0/1", "Pending", "0"], ["beta", "0/1", "Pending", "0"]]


def test_short_name_po_works(kubectl, two_pods):
    result = kubectl("get", "po", "-n", two_pods, "-o", "name")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["pod/alpha", "pod/beta"]


def test_wide_output_adds_the_priority_one_columns(kubectl, two_pods):
    result = kubectl("get", "pods", "-n", two_pods, "-o", "wide")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == [
        "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE",
        "READINESS", "GATES"]
    assert "<none>" in result.stdout.splitlines()[1]


def test_all_namespaces_has_namespace_column_and_json(kubectl, two_pods):
    table = kubectl("get", "pods", "-A")
    assert table.returncode == 0, table.stderr
    header, rows = header_and_rows(table.stdout)
    assert header[:2] == ["NAMESPACE", "NAME"]
    assert [two_pods, "alpha"] in [row[:2] for row in rows]
    listed = kubectl("get", "pods", "-A", "-o", "json")
    assert listed.returncode == 0, listed.stderr
    document = json.loads(listed.stdout)
    assert document["kind"] == "List"
    mine = [item for item in document["items"] if item["metadata"]["namespace"] == two_pods]
    assert {item["metadata"]["name"] for item in mine} == {"alpha", "beta"}
    assert all(item["kind"] == "Pod" and item["status"]["phase"] == "Pending" for item in mine)


def test_label_selectors_and_show_labels(kubectl, two_pods):
    equality = kubectl("get", "pods", "-n", two_pods, "-l", "tier=web", "-o", "name")
    assert equality.stdout.split() == ["pod/alpha"]
    set_based = kubectl("get", "pods", "-n", two_pods, "-l", "tier in (db,cache)", "-o", "name")
    assert set_based.stdout.split() == ["pod/beta"]
    labels = kubectl("get", "pods", "-n", two_pods, "--show-labels")
    assert "tier=web" in labels.stdout and labels.stdout.split()[5] == "LABELS"


def test_field_selector(kubectl, two_pods):
    result = kubectl("get", "pods", "-n", two_pods, "--field-selector", "metadata.name=beta",
                     "-o", "name")
    assert result.stdout.split() == ["pod/beta"]
    bad = kubectl("get", "pods", "-n", two_pods, "--field-selector", "spec.bogus=1")
    assert bad.returncode != 0
    assert "field label not supported: spec.bogus" in bad.stderr


def test_get_deployments_and_other_kinds(kubectl, apps_api, namespace):
    apps_api.create_namespaced_deployment(namespace, {
        "metadata": {"name": "web"},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [container("web", "nginx")]}}}})
    deployments = kubectl("get", "deployments", "-n", namespace)
    assert deployments.returncode == 0, deployments.stderr
    header, rows = header_and_rows(deployments.stdout)
    assert header == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert rows[0][:2] == ["web", "0/0"]
    namespaces = kubectl("get", "ns")
    assert namespaces.stdout.split()[:3] == ["NAME", "STATUS", "AGE"]
    assert "kube-system" in namespaces.stdout


def watching(cluster, plural: str, namespace: str) -> bool:
    return cluster.call(lambda: any(w.plural == plural and w.namespace == namespace
                                    for w in cluster.store.changes.watchers()))


def test_get_pods_watch_prints_new_pods(cluster, kubectl, raw, namespace, wait_for):
    process = subprocess.Popen([*kubectl.command, "get", "pods", "-n", namespace, "-w"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=kubectl.env)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        wait_for(lambda: watching(cluster, "pods", namespace), timeout=20, message="kubectl's watch")
        raw.create_pod(namespace, pod_manifest("watched", namespace=namespace))
        line = wait_for(lambda: next((text for text in lines if text.startswith("watched")), None),
                        timeout=20, message="the watch line")
        assert line.split()[:4] == ["watched", "0/1", "Pending", "0"]
        assert lines[0].split()[:2] == ["NAME", "READY"]
    finally:
        process.kill()
        process.wait(10)
