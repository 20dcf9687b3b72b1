"""What kube-apiserver itself answers: its version, its health checks, and Tables with whole
objects (`kubectl get --sort-by` on a field outside metadata)."""

from __future__ import annotations


def test_version_is_a_plain_release(kubectl):
    assert kubectl("version").stdout.splitlines()[-1] == "Server Version: v1.37.0"


def test_health_checks_list_their_checks_when_verbose(kubectl):
    ready = kubectl("get", "--raw", "/readyz?verbose").stdout
    assert ready.startswith("[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]etcd-readiness ok\n")
    assert ready.endswith("[+]shutdown ok\nreadyz check passed\n")
    live = kubectl("get", "--raw", "/livez?verbose").stdout
    assert "[+]poststarthook/rbac/bootstrap-roles ok\n" in live and live.endswith("livez check passed\n")
    assert "etcd-readiness" not in live
    assert kubectl("get", "--raw", "/readyz/etcd").stdout == "ok"
    assert kubectl("get", "--raw", "/livez").stdout == "ok"
    assert "[+]etcd excluded: ok\n" in kubectl("get", "--raw", "/readyz?verbose&exclude=etcd").stdout
    assert kubectl("get", "--raw", "/readyz/nonsense").returncode != 0


def test_sort_by_a_spec_field_uses_the_whole_objects(kubectl, namespace):
    for name, image in (("first", "redis:7"), ("second", "busybox:1.36"), ("third", "nginx:1.27")):
        assert kubectl("run", name, "-n", namespace, f"--image={image}").returncode == 0
    # the default (server-side Table) output: kubectl asks for includeObject=Object to sort
    result = kubectl("get", "pods", "-n", namespace, "--sort-by=.spec.containers[0].image", "--no-headers")
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["second", "third", "first"], result.stderr
