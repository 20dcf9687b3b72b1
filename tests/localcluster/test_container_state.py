"""Containers with state, through real kubectl against the simulated node: a container's files
last as long as the container instance (across exec sessions, gone after a restart), emptyDir
volumes are shared by the pod's containers, `kubectl cp` works both ways, the port-clash pod
has one listener, the adapter sample logs, and nginx logs no probe traffic it never got."""

from __future__ import annotations

import json
import os
import re
import tarfile
from pathlib import Path

import pytest

from tests.localcluster.exec_support import PtySession
from tests.support.clusters import KUBECTL
from tests.localcluster.sim_support import (  # noqa: F401 (fixture)
    fast_cluster, new_namespace, wait_for, wait_status,
)

SAMPLES = Path(__file__).resolve().parents[2] / "kubetui" / "samples"


@pytest.fixture(scope="module")
def ns(fast_cluster) -> str:
    namespace = new_namespace(fast_cluster)
    for sample in ("sample-pod", "sample-sidecar", "sample-adapter", "sample-port-clash"):
        fast_cluster.kubectl("apply", "-n", namespace, "-f", str(SAMPLES / f"{sample}.yaml"))
    fast_cluster.kubectl("wait", "-n", namespace, "--for=condition=Ready", "pod/sample-pod",
                         "pod/sample-sidecar", "pod/sample-adapter", "--timeout=60s")
    return namespace


def run(cluster, ns: str, *args: str):
    return cluster.kubectl("exec", "-n", ns, *args, check=False)


def test_what_one_exec_writes_and_installs_is_there_in_the_next(fast_cluster, ns):
    setup = run(fast_cluster, ns, "sample-pod", "--", "sh", "-c",
                "echo hello > /tmp/note && apt update >/dev/null && apt -y install iproute2 procps >/dev/null")
    assert setup.returncode == 0, setup.stderr
    assert run(fast_cluster, ns, "sample-pod", "--", "cat", "/tmp/note").stdout == "hello\n"
    listening = run(fast_cluster, ns, "sample-pod", "--", "ss", "-napt")
    assert listening.returncode == 0, listening.stderr
    assert 'users:(("nginx",pid=1,fd=6))' in listening.stdout
    again = run(fast_cluster, ns, "sample-pod", "--", "apt", "-y", "install", "iproute2")
    assert "iproute2 is already the newest version" in again.stdout


def test_two_shells_of_one_container_see_each_others_files(fast_cluster, ns):
    argv = [*_kubectl_argv(fast_cluster), "exec", "-it", "-n", ns, "sample-pod", "--", "bash"]
    first, second = PtySession(argv, env=_env(fast_cluster)), PtySession(argv, env=_env(fast_cluster))
    try:
        first.expect(":/# ")
        second.expect(":/# ")
        first.line("echo from-the-first-shell > /root/shared.txt")
        first.expect(":/# ")
        second.line("cat /root/shared.txt")
        assert "from-the-first-shell" in second.expect(":/# ")
    finally:
        first.close()
        second.close()


def test_kubectl_cp_copies_into_and_out_of_a_container(fast_cluster, ns, tmp_path):
    local = tmp_path / "page.html"
    local.write_text("<p>copied in</p>\n")
    into = fast_cluster.kubectl("cp", "-n", ns, str(local), "sample-pod:/usr/share/nginx/html/page.html",
                                check=False)
    assert into.returncode == 0, into.stderr
    assert run(fast_cluster, ns, "sample-pod", "--", "cat", "/usr/share/nginx/html/page.html").stdout \
        == "<p>copied in</p>\n"
    out = fast_cluster.kubectl("cp", "-n", ns, "sample-pod:/etc/nginx", str(tmp_path / "nginx"),
                               check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "tar: Removing leading `/' from member names\n"  # kubectl cp's stdout
    assert "listen       80;" in (tmp_path / "nginx" / "conf.d" / "default.conf").read_text()
    archive = tmp_path / "tree.tar"
    dump = fast_cluster.kubectl("exec", "-n", ns, "sample-pod", "--", "tar", "cf", "-", "-C", "/etc",
                                "nginx", check=False)
    archive.write_bytes(dump.stdout.encode("utf-8", "surrogateescape"))
    with tarfile.open(archive) as tar:  # the host's tar reads what the container's tar wrote
        assert "nginx/nginx.conf" in tar.getnames()


def test_an_empty_dir_is_shared_by_the_sidecar_and_nginx(fast_cluster, ns):
    page = run(fast_cluster, ns, "sample-sidecar", "-c", "nginx-container", "--", "cat",
               "/usr/share/nginx/html/index.html")
    assert re.fullmatch(r"<h1>synced at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}</h1>\n", page.stdout), page
    assert run(fast_cluster, ns, "sample-sidecar", "-c", "nginx-container", "--", "sh", "-c",
               "echo extra > /usr/share/nginx/html/extra.html").returncode == 0
    listing = run(fast_cluster, ns, "sample-sidecar", "-c", "content-sync", "--", "ls", "/content")
    assert listing.stdout.split() == ["extra.html", "index.html"]


def test_the_adapter_turns_the_apps_lines_into_json(fast_cluster, ns):
    def logged():
        lines = fast_cluster.kubectl("logs", "-n", ns, "sample-adapter", "-c", "adapter-container").stdout
        return lines.splitlines() if len(lines.splitlines()) >= 2 else None
    for line in wait_for(logged, timeout=30, message="the adapter's JSON lines"):
        record = json.loads(line)
        assert record["status"] == 200 and record["path"] == "/orders" and record["time"] > 1.7e9


def test_the_port_clash_pod_has_one_listener(fast_cluster, ns):
    wait_status(fast_cluster, ns, "sample-port-clash",
                lambda p: p["status"]["containerStatuses"][1]["restartCount"] >= 1)
    listening = run(fast_cluster, ns, "sample-port-clash", "-c", "nginx-container-1", "--", "sh", "-c",
                    "apt update >/dev/null 2>&1; apt -y install iproute2 >/dev/null 2>&1; ss -Hnapt")
    assert listening.stdout.count("LISTEN") == 1, listening.stdout
    assert "0.0.0.0:80" in listening.stdout


def test_nginx_tells_its_version_and_logs_no_probes_it_never_got(fast_cluster, ns):
    version = run(fast_cluster, ns, "sample-pod", "--", "nginx", "-v")
    assert (version.returncode, version.stdout, version.stderr) == (0, "", "nginx version: nginx/1.16.1\n")
    assert "kube-probe" not in fast_cluster.kubectl("logs", "-n", ns, "sample-pod").stdout


def test_a_restarted_container_starts_from_its_image_again(fast_cluster, ns):
    fast_cluster.kubectl("run", "-n", ns, "restarted", "--image=nginx:1.16")
    fast_cluster.kubectl("wait", "-n", ns, "--for=condition=Ready", "pod/restarted", "--timeout=60s")
    assert run(fast_cluster, ns, "restarted", "--", "touch", "/tmp/before-restart").returncode == 0
    fast_cluster.kubectl("set", "image", "-n", ns, "pod/restarted", "restarted=nginx:1.17")
    wait_status(fast_cluster, ns, "restarted",
                lambda p: p["status"]["containerStatuses"][0]["restartCount"] >= 1
                and p["status"]["containerStatuses"][0]["ready"])
    gone = run(fast_cluster, ns, "restarted", "--", "ls", "/tmp/before-restart")
    assert gone.returncode == 2
    assert "No such file or directory" in gone.stderr


def _kubectl_argv(cluster) -> list[str]:
    return [KUBECTL, "--context", "kubetui-local"]


def _env(cluster) -> dict:
    return {**os.environ, "KUBECACHEDIR": str(cluster.cache_dir), "KUBECONFIG": str(cluster.kubeconfig)}
