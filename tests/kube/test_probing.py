"""The first request kubetui makes: a healthy server answers, a wrong token is one clear line."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from kubetui.errors import KubetuiError
from kubetui.kube.contexts import connect
from kubetui.kube.probing import check
from tests.support.pods import container, pod_manifest


def test_check_returns_the_server_version(cluster, tmp_path):
    conn = connect(str(cluster.write_kubeconfig(tmp_path / "kc")), None, None)
    try:
        version = check(conn)
    finally:
        conn.close()
    assert version["major"] == "1"
    assert version["gitVersion"].startswith("v1.")


def test_check_names_a_rejected_token(cluster, tmp_path):
    path = cluster.write_kubeconfig(tmp_path / "kc")
    config = yaml.safe_load(path.read_text())
    for user in config["users"]:
        user["user"]["token"] = "wrong"
    path.write_text(yaml.safe_dump(config))
    conn = connect(str(path), None, None)
    try:
        with pytest.raises(KubetuiError, match="401"):
            check(conn)
    finally:
        conn.close()


def test_the_probe_and_the_first_list_do_not_wait_for_the_official_client(cluster, tmp_path):
    """Connecting, probing and listing pods load no part of the kubernetes package (~0.3 s);
    the client is built the first time something asks for it, and works then."""
    kubeconfig = str(cluster.write_kubeconfig(tmp_path / "kc"))
    cluster.call(lambda: cluster.store.create("pods", pod_manifest("probed", container("c", "nginx:1.16"),
                                                                   namespace="kube-system")))
    script = (
        "import sys, threading\n"
        "from kubetui.kube.contexts import connect\n"
        "from kubetui.kube.first_list import start_first_list\n"
        "from kubetui.kube.probing import check\n"
        f"conn = connect({kubeconfig!r}, None, 'kube-system')\n"
        "version = check(conn)\n"
        "items, _ = start_first_list(conn, False).take('kube-system', None, threading.Event())\n"
        "print(version['major'], len(items) > 0, 'kubernetes' in sys.modules)\n"
        "from kubetui.kube.requesting import open_get, read_json\n"
        "print(read_json(open_get(conn.api_client, '/api/v1/namespaces/kube-system/pods'))['kind'],"
        " type(conn.api_client).__name__)\n"
        "conn.close()\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert output.returncode == 0, output.stderr
    assert output.stdout.splitlines() == ["1 True False", "PodList ApiClient"]


def test_closing_a_connection_whose_client_was_never_used_builds_none(cluster, tmp_path):
    conn = connect(str(cluster.write_kubeconfig(tmp_path / "kc")), None, None)
    check(conn)
    conn.close()
    assert conn._client is None
