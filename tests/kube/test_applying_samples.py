"""Every valid sample of the study notes applies through kubetui on a cluster with the simulated
kubelet, and its pods come up as the notes say (sample-2pod 2/2 Running, the port clash 1/2
failing, ...); the invalid-name sample is refused locally with the API server's words."""

from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources

from kubetui.kube.applying import Applier
from kubetui.localcluster.cluster.seeding import NEVER_SEEDED
from kubetui.model import parse_manifests, parse_sources, pod_row
from tests.support.clusters import cluster_fixture
from tests.support.waiting import wait_for


def sample_texts() -> dict[str, str]:
    folder = resources.files("kubetui.samples")
    return {e.name: e.read_text(encoding="utf-8") for e in sorted(folder.iterdir(), key=lambda e: e.name)
            if e.name.endswith(".yaml")}


running = cluster_fixture(time_scale=50.0)


def rows(running, namespace):
    pods = running.get_json(running.core.list_namespaced_pod, namespace)["items"]
    now = datetime.now(timezone.utc)
    return {pod["metadata"]["name"]: pod_row(pod, now) for pod in pods}


def test_every_valid_sample_applies_and_comes_up_as_the_notes_say(running, tmp_path):
    namespace = "samples"
    running.raw.call("POST", "/api/v1/namespaces", {"metadata": {"name": namespace}})
    applier = Applier(running.api_client, namespace, cache_file=tmp_path / "d.json")
    texts = {name: text for name, text in sample_texts().items() if name not in NEVER_SEEDED}
    parsed = parse_sources(list(texts.items()), default_namespace=namespace)
    assert parsed.ok, [p.text() for p in parsed.problems]
    report = applier.apply(parsed.manifests)
    assert report.ok, [o.message for o in report.failed]
    lines = {o.line() for o in report.outcomes}
    assert {"pod/sample-pod created", "pod/sample-2pod created", "configmap/sample-ambassador-config created",
            "deployment.apps/sample-deployment created", "replicaset.apps/sample-replicaset created"} <= lines
    assert all(line.endswith(" created") for line in lines)

    def settled():
        now = rows(running, namespace)
        wanted = {
            "sample-pod": lambda r: (r.ready, r.status) == ("1/1", "Running"),
            "sample-2pod": lambda r: (r.ready, r.status) == ("2/2", "Running"),
            "sample-port-clash": lambda r: r.ready == "1/2" and r.status in ("Error", "CrashLoopBackOff"),
            "sample-imagepull": lambda r: r.status in ("ErrImagePull", "ImagePullBackOff"),
            "sample-init": lambda r: (r.ready, r.status) == ("1/1", "Running"),
            "sample-sidecar": lambda r: (r.ready, r.status) == ("2/2", "Running"),
        }
        ok = all(name in now and check(now[name]) for name, check in wanted.items())
        replicas = [r for name, r in now.items() if name.startswith("sample-deployment-") and r.status == "Running"]
        return now if ok and len(replicas) == 3 else None

    wait_for(settled, timeout=60, message="the samples in the states the notes describe")
    again = applier.apply(parsed.manifests)
    assert {o.action for o in again.outcomes} == {"unchanged"}, [o.line() for o in again.outcomes]


def test_each_sample_file_on_its_own_reports_kubectls_lines(running, tmp_path):
    namespace = "one-by-one"
    running.raw.call("POST", "/api/v1/namespaces", {"metadata": {"name": namespace}})
    applier = Applier(running.api_client, namespace, cache_file=tmp_path / "d.json")
    for name, text in sample_texts().items():
        parsed = parse_manifests(text, name, default_namespace=namespace)
        if name in NEVER_SEEDED:
            assert parsed.problems[0].message.startswith('Pod "Sample_Pod" is invalid: metadata.name: Invalid value')
            continue
        dry = applier.apply(parsed.manifests, dry_run=True)
        assert all(o.line().endswith(" created (server dry run)") for o in dry.outcomes), name
        report = applier.apply(parsed.manifests)
        assert [o.line() for o in report.outcomes] == [
            f"{m.kind.lower()}{'.apps' if m.group == 'apps' else ''}/{m.name} created" for m in parsed.manifests]
    assert "sample-2pod" in rows(running, namespace)
