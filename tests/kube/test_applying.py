"""Plans, server-side apply, all-or-nothing, conflicts and deletes against the real local server.

Every test works in its own namespace of the session cluster (bare API server: nothing but the
test changes what it creates) and reads the cluster back through plain HTTPS to check what
really happened.
"""

from __future__ import annotations

import pytest

from kubetui.kube.applying import FIELD_MANAGER, Applier
from kubetui.model import parse_manifests


@pytest.fixture
def applier(api_client, namespace, tmp_path):
    return Applier(api_client, namespace, cache_file=tmp_path / "discovery.json")


def pod(name, image="nginx:1.16", extra_container=""):
    return (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n"
            f"  - name: nginx\n    image: {image}\n{extra_container}")


def configmap(name, value="1"):
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: \"{value}\"\n"


def manifests(*texts, source="test.yaml"):
    parsed = parse_manifests("---\n".join(texts), source)
    assert parsed.ok, [p.text() for p in parsed.problems]
    return parsed.manifests


def names(raw, namespace, plural="pods"):
    items = raw.json("GET", f"/api/v1/namespaces/{namespace}/{plural}", expect=200)["items"]
    return sorted(item["metadata"]["name"] for item in items)


def test_plan_apply_reapply_and_change(applier, raw, namespace):
    plan = applier.plan(manifests(pod("web"), configmap("settings")))
    assert [(o.ref, o.action) for o in plan] == [("pod/web", "will be created"),
                                                 ("configmap/settings", "will be created")]
    assert "+kind: Pod" in plan[0].diff and "+  - image: nginx:1.16" in plan[0].diff
    assert names(raw, namespace) == [], "a plan changes nothing"

    report = applier.apply(manifests(pod("web"), configmap("settings")))
    assert [o.line() for o in report.outcomes] == ["pod/web created", "configmap/settings created"]
    assert report.sent and report.ok
    live = raw.json("GET", f"/api/v1/namespaces/{namespace}/pods/web", expect=200)
    assert [e["manager"] for e in live["metadata"]["managedFields"]] == [FIELD_MANAGER]

    again = applier.apply(manifests(pod("web"), configmap("settings")))
    assert [o.line() for o in again.outcomes] == ["pod/web unchanged", "configmap/settings unchanged"]
    assert [o.action for o in applier.plan(manifests(pod("web")))] == ["unchanged"]

    plan = applier.plan(manifests(pod("web", "nginx:1.17"), configmap("settings", "2")))
    assert [o.action for o in plan] == ["will be configured", "will be configured"]
    assert "-  - image: nginx:1.16\n+  - image: nginx:1.17\n" in plan[0].diff
    assert "resourceVersion" not in plan[0].diff and "managedFields" not in plan[0].diff
    assert "-  key: '1'\n+  key: '2'\n" in plan[1].diff

    changed = applier.apply(manifests(pod("web", "nginx:1.17"), configmap("settings")))
    assert [o.line() for o in changed.outcomes] == ["pod/web configured", "configmap/settings unchanged"]


def test_server_dry_run_lines_and_nothing_written(applier, raw, namespace):
    report = applier.apply(manifests(pod("dry")), dry_run=True)
    assert [o.line() for o in report.outcomes] == ["pod/dry created (server dry run)"]
    assert not report.sent and names(raw, namespace) == []


def test_all_or_nothing_leaves_the_cluster_untouched(applier, raw, namespace):
    broken = pod("broken", extra_container="  - name: nginx\n    image: redis:3.2\n")
    report = applier.apply(manifests(configmap("first"), broken, pod("last")))
    assert not report.sent
    assert [o.action for o in report.outcomes] == ["not applied", "rejected", "not applied"]
    failed = report.failed[0]
    assert failed.message == ('Error from server (Invalid): Pod "broken" is invalid: spec.containers[1].name: '
                              'Duplicate value: "nginx"')
    assert [(c.field, c.line) for c in failed.causes] == [("spec.containers[1].name", 16)]
    assert names(raw, namespace) == [] and names(raw, namespace, "configmaps") == []


def test_without_all_or_nothing_the_others_are_applied(applier, raw, namespace):
    broken = pod("broken", extra_container="  - name: nginx\n    image: redis:3.2\n")
    report = applier.apply(manifests(pod("first"), broken), all_or_nothing=False)
    assert [o.line().split(":")[0] for o in report.outcomes] == ["pod/first created", "Error from server (Invalid)"]
    assert report.sent and names(raw, namespace) == ["first"]


def test_conflict_lists_fields_and_managers_then_force_takes_them(applier, raw, namespace, kubectl, tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(pod("web", "nginx:1.16"))
    result = kubectl("apply", "-n", namespace, "-f", str(path))
    assert result.returncode == 0, result.stderr
    report = applier.apply(manifests(pod("web", "nginx:1.17")))
    outcome = report.outcomes[0]
    assert outcome.action == "conflict" and not report.sent
    assert outcome.message == ('Error from server (Conflict): Apply failed with 1 conflict: conflict with '
                               '"kubectl-client-side-apply" using v1: .spec.containers[name="nginx"].image')
    assert [(c.manager, c.field) for c in outcome.conflicts] == [
        ("kubectl-client-side-apply", '.spec.containers[name="nginx"].image')]
    assert outcome.causes[0].line == 8  # the image line of the manifest
    live = raw.json("GET", f"/api/v1/namespaces/{namespace}/pods/web", expect=200)
    assert live["spec"]["containers"][0]["image"] == "nginx:1.16"

    forced = applier.apply(manifests(pod("web", "nginx:1.17")), force=True)
    assert [o.line() for o in forced.outcomes] == ["pod/web configured"]
    live = raw.json("GET", f"/api/v1/namespaces/{namespace}/pods/web", expect=200)
    assert live["spec"]["containers"][0]["image"] == "nginx:1.17"


def test_namespace_defaults_to_the_current_one_and_cluster_scoped_kinds_have_none(applier, raw, namespace):
    other = f"{namespace}-x"
    text = f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {other}\n"
    report = applier.apply(manifests(text, configmap("here")))
    assert [(o.ref, o.namespace) for o in report.outcomes] == [(f"namespace/{other}", None),
                                                               ("configmap/here", namespace)]
    assert names(raw, namespace, "configmaps")[-1] == "here"
    elsewhere = applier.apply(manifests(configmap("there").replace("  name: there", f"  name: there\n  namespace: "
                                                                                     f"{other}")))
    assert elsewhere.outcomes[0].namespace == other
    assert "there" in names(raw, other, "configmaps")
    raw.request("DELETE", f"/api/v1/namespaces/{other}")


def test_generate_name_objects_are_created(applier, raw, namespace):
    report = applier.apply(manifests("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: gen-\n"))
    ref = report.outcomes[0].ref
    assert ref.startswith("configmap/gen-") and len(ref) == len("configmap/gen-") + 5
    assert names(raw, namespace, "configmaps")[-1] == ref.split("/")[1]


def test_unknown_kind_and_version_are_named(applier, raw, namespace):
    report = applier.apply(manifests("apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n",
                                     "apiVersion: v2\nkind: Pod\nmetadata:\n  name: p\n", configmap("kept-out")))
    messages = [o.message for o in report.failed]
    assert 'no matches for kind "Foo" in version "example.com/v1"' in messages[0]
    assert 'no matches for kind "Pod" in version "v2"' in messages[1]
    assert names(raw, namespace, "configmaps") == []


def test_delete_the_objects_of_a_set(applier, raw, namespace):
    objects = manifests(pod("gone"), configmap("gone-too"))
    applier.apply(objects)
    outcomes = applier.delete(objects)
    assert [o.line() for o in outcomes] == ['pod "gone" deleted', 'configmap "gone-too" deleted']
    again = applier.delete(objects)
    assert [o.message for o in again] == ['Error from server (NotFound): pods "gone" not found',
                                          'Error from server (NotFound): configmaps "gone-too" not found']


def test_typed_patch_errors_point_at_the_manifest_line(applier, raw, namespace):
    report = applier.apply(manifests(pod("typo", extra_container="    imagee: x\n")))
    outcome = report.outcomes[0]
    assert outcome.message == ('Error from server: failed to create typed patch object '
                               f'({namespace}/typo; /v1, Kind=Pod): .spec.containers[name="nginx"].imagee: '
                               "field not declared in schema")
    assert [(c.field, c.line, c.column) for c in outcome.causes] == [('.spec.containers[name="nginx"].imagee', 9, 5)]
    assert (outcome.action, outcome.attempts) == ("rejected", 1), "a 500 with a verdict is not sent again"


def test_the_discovery_cache_is_the_file_we_chose(applier, tmp_path):
    applier.plan(manifests(configmap("cache")))
    assert (tmp_path / "discovery.json").is_file()
