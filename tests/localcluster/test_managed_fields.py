"""Server-side apply (ownership, pruning, conflicts) and managedFields for plain writes."""

import copy
import json

import pytest

from kubetui.localcluster.apimachinery import fieldsets
from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.apimachinery.kubetypes import root_type
from kubetui.localcluster.apimachinery.managed_fields import (
    LAST_APPLIED,
    ApplyConflict,
    record_update,
    server_side_apply,
)

T0, T1, T2 = "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z"


def pod_config(image="nginx:1.25", labels=None, **spec):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default", "labels": labels or {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": image}], **spec}}


def entries(obj):
    return {(e["manager"], e["operation"]): e for e in obj["metadata"]["managedFields"]}


def created_by(manager, config, now=T0):
    """What a POST by `manager` stores (the server core calls record_update on create)."""
    obj = copy.deepcopy(config)
    obj["metadata"].update(uid="u1", resourceVersion="1", creationTimestamp=T0)
    record_update(None, obj, manager=manager, now=now, api_version="v1")
    return obj


def test_apply_create_records_fields_in_real_fieldsv1_format():
    result = server_side_apply(None, pod_config(), manager="kubetui", force=False, now=T0, api_version="v1")
    assert result["metadata"]["managedFields"] == [{
        "manager": "kubetui", "operation": "Apply", "apiVersion": "v1", "time": T0, "fieldsType": "FieldsV1",
        "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}},
                     "f:spec": {"f:containers": {'k:{"name":"nginx"}': {".": {}, "f:image": {}, "f:name": {}}}}},
    }]
    assert result["spec"] == {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}


def test_create_by_update_marks_new_maps_and_items_like_the_apiserver():
    obj = created_by("kubectl-client-side-apply", pod_config(
        labels={"app": "web"}, volumes=[{"name": "data", "emptyDir": {}}]))
    assert obj["metadata"]["managedFields"][0]["fieldsV1"] == {
        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
        "f:spec": {"f:containers": {'k:{"name":"nginx"}': {".": {}, "f:image": {}, "f:name": {}}},
                   "f:volumes": {".": {}, 'k:{"name":"data"}': {".": {}, "f:emptyDir": {}, "f:name": {}}}},
    }


def test_server_owned_fields_and_status_are_never_tracked():
    config = pod_config()
    config["metadata"].update(uid="x", resourceVersion="9", generation=3, creationTimestamp=T0)
    config["status"] = {"phase": "Running"}
    result = server_side_apply(None, config, manager="m", force=False, now=T0, api_version="v1")
    fields = result["metadata"]["managedFields"][0]["fieldsV1"]
    assert set(fields) == {"f:metadata", "f:spec"} and set(fields["f:metadata"]) == {"f:labels"}
    assert "status" not in result and "uid" not in result["metadata"]


def test_conflict_with_client_side_apply_has_the_real_message_and_causes():
    live = created_by("kubectl-client-side-apply", pod_config())
    with pytest.raises(ApplyConflict) as caught:
        server_side_apply(live, pod_config(image="nginx:1.26"), manager="kubetui", force=False, now=T1,
                          api_version="v1")
    status = caught.value.status()
    assert status["code"] == 409 and status["reason"] == "Conflict"
    assert status["message"] == ('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: '
                                 '.spec.containers[name="nginx"].image')
    assert status["details"] == {"causes": [{"reason": "FieldManagerConflict",
                                             "message": 'conflict with "kubectl-client-side-apply" using v1',
                                             "field": '.spec.containers[name="nginx"].image'}]}


def test_several_conflicts_are_grouped_by_manager():
    live = created_by("kubectl-create", pod_config(restartPolicy="Always"))
    live = server_side_apply(live, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                                    "spec": {"dnsPolicy": "Default"}}, manager="ops", force=False, now=T1,
                             api_version="v1")
    config = pod_config(image="nginx:2", labels={"app": "db"}, restartPolicy="Never", dnsPolicy="None")
    with pytest.raises(ApplyConflict) as caught:
        server_side_apply(live, config, manager="kubetui", force=False, now=T2, api_version="v1")
    assert caught.value.message == (
        'Apply failed with 4 conflicts: conflicts with "kubectl-create" using v1:\n'
        "- .metadata.labels.app\n"
        "- .spec.restartPolicy\n"
        '- .spec.containers[name="nginx"].image\n'
        'conflicts with "ops":\n'
        "- .spec.dnsPolicy")
    assert [c["message"] for c in caught.value.details["causes"]] == [
        'conflict with "kubectl-create" using v1'] * 3 + ['conflict with "ops"']


def test_force_moves_ownership_to_the_applier():
    live = created_by("kubectl-client-side-apply", pod_config())
    result = server_side_apply(live, pod_config(image="nginx:1.26"), manager="kubetui", force=True, now=T1,
                               api_version="v1")
    assert result["spec"]["containers"][0]["image"] == "nginx:1.26"
    owned = entries(result)
    csa = owned[("kubectl-client-side-apply", "Update")]["fieldsV1"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']
    assert "f:image" not in csa and "f:name" in csa
    assert owned[("kubetui", "Apply")]["time"] == T1


def test_same_value_is_shared_without_conflict():
    live = created_by("kubectl-create", pod_config())
    result = server_side_apply(live, pod_config(), manager="kubetui", force=False, now=T1, api_version="v1")
    both = entries(result)
    assert set(both) == {("kubectl-create", "Update"), ("kubetui", "Apply")}
    for entry in both.values():
        assert "f:image" in entry["fieldsV1"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']


def test_apply_keeps_containers_owned_by_someone_else():
    live = server_side_apply(None, pod_config(), manager="kubetui", force=False, now=T0, api_version="v1")
    sidecar = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
               "spec": {"containers": [{"name": "sidecar", "image": "envoy"}]}}
    live = server_side_apply(live, sidecar, manager="mesh", force=False, now=T1, api_version="v1")
    result = server_side_apply(live, pod_config(image="nginx:1.26"), manager="kubetui", force=False, now=T2,
                               api_version="v1")
    assert [(c["name"], c["image"]) for c in result["spec"]["containers"]] == [
        ("nginx", "nginx:1.26"), ("sidecar", "envoy")]


def test_fields_dropped_from_the_config_are_removed_when_nobody_else_owns_them():
    live = server_side_apply(None, pod_config(labels={"app": "web", "tier": "fe"}, nodeSelector={"disk": "ssd"}),
                             manager="kubetui", force=False, now=T0, api_version="v1")
    result = server_side_apply(live, pod_config(), manager="kubetui", force=False, now=T1, api_version="v1")
    assert result["metadata"]["labels"] == {"app": "web"}
    assert "nodeSelector" not in result["spec"]


def test_dropped_fields_stay_when_another_manager_owns_them():
    live = server_side_apply(None, pod_config(labels={"app": "web", "tier": "fe"}), manager="kubetui", force=False,
                             now=T0, api_version="v1")
    live = server_side_apply(live, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web",
                                                                                   "labels": {"tier": "fe"}}},
                             manager="other", force=False, now=T1, api_version="v1")
    result = server_side_apply(live, pod_config(), manager="kubetui", force=False, now=T2, api_version="v1")
    assert result["metadata"]["labels"] == {"app": "web", "tier": "fe"}


def test_dropping_a_container_removes_it():
    two = pod_config()
    two["spec"]["containers"].append({"name": "debug", "image": "busybox"})
    live = server_side_apply(None, two, manager="kubetui", force=False, now=T0, api_version="v1")
    result = server_side_apply(live, pod_config(), manager="kubetui", force=False, now=T1, api_version="v1")
    assert [c["name"] for c in result["spec"]["containers"]] == ["nginx"]


def test_noop_apply_keeps_the_old_time():
    live = server_side_apply(None, pod_config(), manager="kubetui", force=False, now=T0, api_version="v1")
    again = server_side_apply(live, pod_config(), manager="kubetui", force=False, now=T1, api_version="v1")
    assert entries(again)[("kubetui", "Apply")]["time"] == T0
    assert again == live


def test_apply_entries_sort_before_update_entries():
    live = created_by("zz-create", pod_config())
    result = server_side_apply(live, pod_config(), manager="aa", force=False, now=T1, api_version="v1")
    assert [(e["operation"], e["manager"]) for e in result["metadata"]["managedFields"]] == [
        ("Apply", "aa"), ("Update", "zz-create")]


def test_kubectl_server_side_upgrade_takes_over_client_side_fields():
    config = pod_config()
    config["metadata"]["annotations"] = {LAST_APPLIED: json.dumps(pod_config(), sort_keys=True)}
    live = created_by("kubectl-client-side-apply", config)
    result = server_side_apply(live, pod_config(image="nginx:1.26"), manager="kubectl", force=False, now=T1,
                               api_version="v1")
    assert result["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert json.loads(result["metadata"]["annotations"][LAST_APPLIED]) == pod_config(image="nginx:1.26")


def test_kubectl_upgrade_still_conflicts_on_fields_changed_since_client_side_apply():
    config = pod_config()
    config["metadata"]["annotations"] = {LAST_APPLIED: json.dumps(pod_config(image="nginx:1.0"))}
    live = created_by("kubectl-client-side-apply", config)
    with pytest.raises(ApplyConflict):
        server_side_apply(live, pod_config(image="nginx:1.26"), manager="kubectl", force=False, now=T1,
                          api_version="v1")


def test_apply_without_field_manager_is_422():
    with pytest.raises(ApiError) as caught:
        server_side_apply(None, pod_config(), manager="", force=False, now=T0, api_version="v1")
    assert caught.value.code == 422
    assert "fieldManager: Required value: is required for apply patch" in caught.value.message


def test_deployment_selector_is_atomic_and_template_containers_merge():
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                       "template": {"metadata": {"labels": {"app": "web"}},
                                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}
    result = server_side_apply(None, config, manager="kubectl", force=False, now=T0, api_version="apps/v1")
    spec_fields = result["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]
    assert spec_fields["f:selector"] == {}
    assert spec_fields["f:template"]["f:spec"]["f:containers"] == {
        'k:{"name":"nginx"}': {".": {}, "f:image": {}, "f:name": {}}}


# ---------------------------------------------------------------- record_update


def test_update_gives_changed_fields_to_the_writer_and_takes_them_from_others():
    live = created_by("kubectl-create", pod_config())
    new = copy.deepcopy(live)
    new["spec"]["containers"][0]["image"] = "nginx:2"
    new["metadata"]["labels"]["tier"] = "fe"
    record_update(live, new, manager="kubectl-edit", now=T1, api_version="v1")
    owned = entries(new)
    edit = owned[("kubectl-edit", "Update")]
    assert edit["time"] == T1
    assert edit["fieldsV1"] == {"f:metadata": {"f:labels": {"f:tier": {}}},
                                "f:spec": {"f:containers": {'k:{"name":"nginx"}': {"f:image": {}}}}}
    create = owned[("kubectl-create", "Update")]["fieldsV1"]
    assert "f:image" not in create["f:spec"]["f:containers"]['k:{"name":"nginx"}']


def test_update_that_changes_nothing_records_nothing():
    live = created_by("kubectl-create", pod_config())
    new = copy.deepcopy(live)
    record_update(live, new, manager="kubectl-label", now=T1, api_version="v1")
    assert [e["manager"] for e in new["metadata"]["managedFields"]] == ["kubectl-create"]


def test_update_removing_fields_drops_them_from_every_owner():
    live = created_by("kubectl-create", pod_config(labels={"app": "web", "tier": "fe"}))
    new = copy.deepcopy(live)
    del new["metadata"]["labels"]["tier"]
    record_update(live, new, manager="kubectl-label", now=T1, api_version="v1")
    assert new["metadata"]["managedFields"][0]["fieldsV1"]["f:metadata"] == {"f:labels": {".": {}, "f:app": {}}}
    assert len(new["metadata"]["managedFields"]) == 1


def test_update_with_reset_managed_fields_wipes_ownership():
    live = created_by("kubectl-create", pod_config())
    new = copy.deepcopy(live)
    new["metadata"]["managedFields"] = [{}]
    record_update(live, new, manager="kubectl-edit", now=T1, api_version="v1")
    assert "managedFields" not in new["metadata"]


def test_status_update_is_recorded_against_the_status_subresource():
    live = created_by("kubectl-create", pod_config())
    new = copy.deepcopy(live)
    new["status"] = {"phase": "Running"}
    record_update(live, new, manager="kubelet", now=T1, api_version="v1", subresource="status")
    kubelet = [e for e in new["metadata"]["managedFields"] if e["manager"] == "kubelet"][0]
    assert kubelet["subresource"] == "status"
    assert kubelet["fieldsV1"] == {"f:status": {"f:phase": {}}}


def test_update_then_apply_conflict_names_the_update_manager_with_version():
    live = created_by("kubectl-create", {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                                         "spec": {"replicas": 1}})
    live["metadata"]["managedFields"][0]["apiVersion"] = "apps/v1"
    with pytest.raises(ApplyConflict) as caught:
        server_side_apply(live, {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                                 "spec": {"replicas": 3}}, manager="kubetui", force=False, now=T1,
                          api_version="apps/v1")
    assert caught.value.message == 'Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas'


# ---------------------------------------------------------------- fieldsets

PATH_STRINGS = [
    ("field", ("f:spec", "f:replicas"), ".spec.replicas"),
    ("keyed", ("f:spec", "f:containers", 'k:{"name":"nginx"}', "f:image"), '.spec.containers[name="nginx"].image'),
    ("two-keys", ("f:ports", 'k:{"containerPort":80,"protocol":"TCP"}'), '.ports[containerPort=80,protocol="TCP"]'),
    ("set-value", ("f:metadata", "f:finalizers", 'v:"a"'), '.metadata.finalizers[="a"]'),
    ("index", ("f:x", "i:3"), ".x[3]"),
]


@pytest.mark.parametrize("path,text", [c[1:] for c in PATH_STRINGS], ids=[c[0] for c in PATH_STRINGS])
def test_path_string(path, text):
    assert fieldsets.path_string(path) == text


def test_fieldsv1_round_trip():
    fields = {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
              "f:spec": {"f:containers": {'k:{"name":"a"}': {".": {}, "f:image": {}}}}}
    assert fieldsets.encode(fieldsets.decode(fields)) == fields


def test_container_port_key_gets_the_protocol_default():
    paths = fieldsets.apply_set({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80}]}]}},
                                root_type("Pod"))
    assert ("f:spec", "f:containers", 'k:{"name":"a"}', "f:ports", 'k:{"containerPort":80,"protocol":"TCP"}') in paths


MERGE_ORDER = [
    ("new-item-after-live-items", ["a", "b", "c"], ["b", "new"], ["a", "b", "c", "new"]),
    ("new-item-before-shared", ["a", "b"], ["new", "b"], ["a", "new", "b"]),
    ("config-reorders-shared", ["a", "b", "c"], ["c", "a"], ["b", "c", "a"]),
    ("empty-live", [], ["x", "y"], ["x", "y"]),
]


@pytest.mark.parametrize("live,config,expected", [c[1:] for c in MERGE_ORDER], ids=[c[0] for c in MERGE_ORDER])
def test_apply_merge_list_order_follows_structured_merge_diff(live, config, expected):
    merged = fieldsets.merge({"spec": {"containers": [{"name": n} for n in live]}},
                             {"spec": {"containers": [{"name": n} for n in config]}}, root_type("Pod"))
    assert [c["name"] for c in merged["spec"]["containers"]] == expected


@pytest.mark.parametrize("managed", [
    [{"manager": "m", "operation": "Update", "fieldsV1": ["not", "a", "map"]}],
    [{"manager": "m", "fieldsV1": {"f:spec": "junk"}}],
    ["junk", None, 3],
], ids=["fieldsv1-list", "fieldsv1-junk-child", "junk-entries"])
def test_malformed_managed_fields_never_raise(managed):
    live = created_by("kubectl-create", pod_config())
    new = copy.deepcopy(live)
    new["metadata"]["managedFields"] = managed
    new["spec"]["containers"][0]["image"] = "nginx:2"
    record_update(live, new, manager="kubectl-edit", now=T1, api_version="v1")
    assert ("kubectl-edit", "Update") in entries(new)
    live["metadata"]["managedFields"] = managed
    server_side_apply(live, pod_config(image="nginx:3"), manager="kubetui", force=False, now=T2, api_version="v1")
