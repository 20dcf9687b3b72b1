"""The shipped samples: well-formed, named after their files, accepted by kubectl (except the
invalid-name one, refused with the real message), and seeded into a cluster that then looks
like the study notes describe."""

from __future__ import annotations

import re
from importlib import resources

import yaml

from kubetui.localcluster.cluster.seeding import NEVER_SEEDED, sample_documents, sample_files
from tests.localcluster.sim_support import new_namespace
from tests.support.clusters import cluster_fixture
from tests.support.waiting import wait_for

EXPECTED = {
    "sample-pod", "sample-2pod", "sample-port-clash", "sample-command", "sample-workingdir",
    "sample-hostaliases", "sample-dns-none", "sample-hostnetwork", "sample-sidecar",
    "sample-ambassador", "sample-adapter", "sample-init", "sample-crashloop", "sample-imagepull",
    "sample-replicaset", "sample-deployment", "sample-invalid-name", "sample-chatty",
}


def test_every_sample_is_commented_and_named_after_its_file():
    files = sample_files()
    assert {name[:-len(".yaml")] for name in files} == EXPECTED
    for name, text in files.items():
        stem = name[:-len(".yaml")]
        assert text.startswith(f"# {stem}: "), name
        main = [d for d in sample_documents(text) if d["kind"] != "ConfigMap"][0]
        expected_name = "Sample_Pod" if stem == "sample-invalid-name" else stem
        assert main["metadata"]["name"] == expected_name, name
        assert all({"apiVersion", "kind", "metadata"} <= set(d) for d in yaml.safe_load_all(text))


def test_kubectl_applies_every_valid_sample(fast_cluster, tmp_path):
    ns = new_namespace(fast_cluster)
    folder = resources.files("kubetui.samples")
    args = []
    for name in sample_files():
        if name not in NEVER_SEEDED:
            path = tmp_path / name
            path.write_text(folder.joinpath(name).read_text(encoding="utf-8"))
            args += ["-f", str(path)]
    out = fast_cluster.kubectl("apply", "-n", ns, *args).stdout
    assert "pod/sample-port-clash created" in out and "deployment.apps/sample-deployment created" in out


def test_the_invalid_name_is_refused_with_the_api_server_message(fast_cluster, tmp_path):
    path = tmp_path / "sample-invalid-name.yaml"
    path.write_text(sample_files()["sample-invalid-name.yaml"])
    result = fast_cluster.kubectl("apply", "-f", str(path), check=False)
    assert result.returncode != 0
    assert 'The Pod "Sample_Pod" is invalid: metadata.name: Invalid value: "Sample_Pod": a ' \
           "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters" \
           in result.stderr


seeded = cluster_fixture(time_scale=50.0, seed=True)


def test_seeding_brings_up_the_samples_as_the_notes_describe(seeded):
    def table():
        out = seeded.kubectl("get", "pods").stdout
        ok = re.search(r"^sample-2pod\s+2/2\s+Running\s", out, re.M) and re.search(
            r"^sample-port-clash\s+1/2\s+(Error|CrashLoopBackOff)\s", out, re.M)
        return out if ok else None
    out = wait_for(table, timeout=30, message="sample-2pod running and the clash crashing")
    names = set(re.findall(r"^(sample-[a-z0-9-]+)\s", out, re.M))
    assert {n for n in EXPECTED if n not in ("sample-invalid-name", "sample-replicaset",
                                             "sample-deployment")} <= names
    assert "Sample_Pod" not in out

    def clash_logged():
        result = seeded.kubectl("logs", "sample-port-clash", "-c", "nginx-container-2",
                                "--previous", check=False)
        return result.returncode == 0 and result.stdout
    logs = wait_for(clash_logged, message="a previous instance of nginx-container-2")
    assert "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)" in logs
    events = wait_for(lambda: (lambda o: "BackOff" in o and o)(seeded.kubectl("get", "events").stdout),
                      message="a BackOff event")
    assert "Back-off restarting failed container nginx-container-2 in pod sample-port-clash_default(" \
        in events


def test_seeding_adds_a_kube_system_and_the_workload_objects(seeded):
    def system():
        out = seeded.kubectl("get", "pods", "-n", "kube-system").stdout
        return out if out.count("Running") >= 8 else None
    out = wait_for(system, timeout=30, message="kube-system pods running")
    for name in ("etcd-kubetui-node-1", "kube-apiserver-kubetui-node-1",
                 "kube-controller-manager-kubetui-node-1", "kube-scheduler-kubetui-node-1",
                 "kube-proxy-", "coredns-"):
        assert name in out
    assert "kube-dns" in seeded.kubectl("get", "svc", "-n", "kube-system").stdout
    workloads = seeded.kubectl("get", "rs,deploy").stdout
    assert "sample-replicaset" in workloads and "deployment.apps/sample-deployment" in workloads
    nodes = seeded.kubectl("get", "nodes", "-o", "wide").stdout
    assert re.search(r"^kubetui-node-1\s+Ready\s+control-plane\s+\S+\s+v1\.37\.0\s+172\.18\.0\.2\s",
                     nodes, re.M), nodes
    assert re.search(r"^kubetui-node-2\s+Ready\s+<none>\s+\S+\s+v1\.37\.0\s+172\.18\.0\.3\s", nodes,
                     re.M)
    assert "containerd://2.1.0" in nodes
