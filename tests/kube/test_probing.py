"""The first request kubetui makes: a healthy server answers, a wrong token is one clear line."""

from __future__ import annotations

import pytest
import yaml

from kubetui.errors import KubetuiError
from kubetui.kube.contexts import connect
from kubetui.kube.probing import check


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
