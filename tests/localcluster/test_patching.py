"""JSON merge patch, JSON patch and strategic merge patch, on plain dicts."""

import copy
import json

import pytest

from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.apimachinery.patching import (
    apply_json_patch,
    apply_merge_patch,
    apply_strategic_merge_patch,
)

# ---------------------------------------------------------------- RFC 7386 (its appendix A cases)

MERGE_CASES = [
    ("replace-value", {"a": "b"}, {"a": "c"}, {"a": "c"}),
    ("add-key", {"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ("null-deletes", {"a": "b"}, {"a": None}, {}),
    ("null-deletes-one", {"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ("list-replaced", {"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ("scalar-to-list", {"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ("nested-merge", {"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ("list-of-maps-replaced", {"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    ("null-inside-new-object-dropped", {}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ("scalar-replaced-by-object", {"a": "b"}, {"a": {"c": 1}}, {"a": {"c": 1}}),
    ("labels", {"metadata": {"labels": {"a": "1", "b": "2"}}}, {"metadata": {"labels": {"a": None, "c": "3"}}},
     {"metadata": {"labels": {"b": "2", "c": "3"}}}),
]


@pytest.mark.parametrize("target,patch,expected", [c[1:] for c in MERGE_CASES], ids=[c[0] for c in MERGE_CASES])
def test_merge_patch(target, patch, expected):
    before = copy.deepcopy(target)
    assert apply_merge_patch(target, patch) == expected
    assert target == before


def test_merge_patch_result_shares_nothing_with_the_patch():
    patch = {"spec": {"containers": [{"name": "a"}]}}
    result = apply_merge_patch({}, patch)
    result["spec"]["containers"][0]["name"] = "changed"
    assert patch["spec"]["containers"][0]["name"] == "a"


def test_merge_patch_that_is_not_an_object_is_a_bad_request():
    with pytest.raises(ApiError) as caught:
        apply_merge_patch({"a": 1}, [1, 2])
    assert (caught.value.code, caught.value.message) == (400, "Invalid JSON Patch")


# ---------------------------------------------------------------- RFC 6902

DOC = {"metadata": {"name": "a", "labels": {"app": "web"}, "annotations": {"a/b": "x", "m~n": "y"}},
       "spec": {"containers": [{"name": "c1"}, {"name": "c2"}]}}

JSON_PATCH_CASES = [
    ("add-key", [{"op": "add", "path": "/metadata/labels/tier", "value": "fe"}],
     lambda d: d["metadata"]["labels"].update(tier="fe")),
    ("add-replaces-existing-key", [{"op": "add", "path": "/metadata/labels/app", "value": "db"}],
     lambda d: d["metadata"]["labels"].update(app="db")),
    ("add-insert-into-list", [{"op": "add", "path": "/spec/containers/1", "value": {"name": "mid"}}],
     lambda d: d["spec"]["containers"].insert(1, {"name": "mid"})),
    ("add-append-dash", [{"op": "add", "path": "/spec/containers/-", "value": {"name": "c3"}}],
     lambda d: d["spec"]["containers"].append({"name": "c3"})),
    ("remove-key", [{"op": "remove", "path": "/metadata/labels/app"}],
     lambda d: d["metadata"]["labels"].pop("app")),
    ("remove-list-item", [{"op": "remove", "path": "/spec/containers/0"}],
     lambda d: d["spec"]["containers"].pop(0)),
    ("replace", [{"op": "replace", "path": "/metadata/name", "value": "b"}],
     lambda d: d["metadata"].update(name="b")),
    ("escaped-slash", [{"op": "replace", "path": "/metadata/annotations/a~1b", "value": "z"}],
     lambda d: d["metadata"]["annotations"].update({"a/b": "z"})),
    ("escaped-tilde", [{"op": "remove", "path": "/metadata/annotations/m~0n"}],
     lambda d: d["metadata"]["annotations"].pop("m~n")),
    ("move", [{"op": "move", "from": "/metadata/labels/app", "path": "/metadata/labels/role"}],
     lambda d: d["metadata"]["labels"].update(role=d["metadata"]["labels"].pop("app"))),
    ("copy", [{"op": "copy", "from": "/spec/containers/0", "path": "/spec/containers/-"}],
     lambda d: d["spec"]["containers"].append({"name": "c1"})),
    ("test-then-replace", [{"op": "test", "path": "/metadata/name", "value": "a"},
                           {"op": "replace", "path": "/metadata/name", "value": "b"}],
     lambda d: d["metadata"].update(name="b")),
]


@pytest.mark.parametrize("ops,edit", [c[1:] for c in JSON_PATCH_CASES], ids=[c[0] for c in JSON_PATCH_CASES])
def test_json_patch(ops, edit):
    expected = copy.deepcopy(DOC)
    edit(expected)
    before = copy.deepcopy(DOC)
    assert apply_json_patch(DOC, ops) == expected
    assert DOC == before


def test_json_patch_replace_whole_document():
    assert apply_json_patch(DOC, [{"op": "replace", "path": "", "value": {"x": 1}}]) == {"x": 1}


JSON_PATCH_FAILURES = [
    ("failed-test", [{"op": "test", "path": "/metadata/name", "value": "zzz"}],
     "testing value /metadata/name failed: test failed"),
    ("remove-missing", [{"op": "remove", "path": "/metadata/labels/nope"}],
     'remove operation does not apply: doc is missing path: "/metadata/labels/nope": missing value'),
    ("add-under-missing-parent", [{"op": "add", "path": "/spec/nope/x", "value": 1}],
     'add operation does not apply: doc is missing path: "/spec/nope/x": missing value'),
    ("replace-missing", [{"op": "replace", "path": "/metadata/nope", "value": 1}],
     'replace operation does not apply: doc is missing path: "/metadata/nope": missing value'),
    ("index-out-of-range", [{"op": "add", "path": "/spec/containers/5", "value": {}}],
     "Unable to access invalid index: 5: invalid index referenced"),
    ("unknown-op", [{"op": "frobnicate", "path": "/a"}], "Unexpected kind: frobnicate"),
    ("later-op-fails-whole-patch", [{"op": "add", "path": "/a", "value": 1}, {"op": "remove", "path": "/zz"}],
     'remove operation does not apply: doc is missing path: "/zz": missing value'),
]


@pytest.mark.parametrize("ops,detail", [c[1:] for c in JSON_PATCH_FAILURES], ids=[c[0] for c in JSON_PATCH_FAILURES])
def test_json_patch_failures_are_422_like_the_apiserver(ops, detail):
    with pytest.raises(ApiError) as caught:
        apply_json_patch(DOC, ops)
    status = caught.value.status()
    assert (status["code"], status["reason"]) == (422, "Invalid")
    assert status["message"] == "the server rejected our request due to an error in our request"
    assert status["details"]["causes"] == [{"message": detail}]
    assert "a" not in DOC


@pytest.mark.parametrize("ops", [{"op": "add"}, [1, 2], "x"], ids=["object", "list-of-numbers", "string"])
def test_json_patch_that_is_not_a_list_of_operations_is_a_bad_request(ops):
    with pytest.raises(ApiError) as caught:
        apply_json_patch(DOC, ops)
    assert caught.value.code == 400


# ---------------------------------------------------------------- strategic merge patch

POD = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}, "finalizers": ["a", "b"],
                 "ownerReferences": [{"uid": "u1", "name": "rs1"}]},
    "spec": {
        "containers": [
            {"name": "nginx", "image": "nginx:1.25", "ports": [{"containerPort": 80, "name": "http"}],
             "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
             "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
            {"name": "sidecar", "image": "busybox", "args": ["sleep", "1"]},
        ],
        "volumes": [{"name": "data", "emptyDir": {}}],
        "tolerations": [{"key": "a", "operator": "Exists"}],
        "imagePullSecrets": [{"name": "s1"}],
        "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["a"]}],
    },
    "status": {"conditions": [{"type": "Ready", "status": "False"}, {"type": "Initialized", "status": "True"}]},
}


def _containers(obj):
    return [(c["name"], c.get("image")) for c in obj["spec"]["containers"]]


SMP_CASES = [
    ("container-merged-by-name",
     {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.26"}]}},
     lambda r: _containers(r) == [("nginx", "nginx:1.26"), ("sidecar", "busybox")]
     and r["spec"]["containers"][0]["ports"] == [{"containerPort": 80, "name": "http"}]),
    # Like the real mergeSortedSlice: with no $setElementOrder an item the live list lacks goes first.
    ("new-container-goes-first",
     {"spec": {"containers": [{"name": "log", "image": "fluentbit"}]}},
     lambda r: _containers(r) == [("log", "fluentbit"), ("nginx", "nginx:1.25"), ("sidecar", "busybox")]),
    ("container-deleted-by-directive",
     {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}},
     lambda r: _containers(r) == [("nginx", "nginx:1.25")]),
    ("list-replaced-by-directive",
     {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}},
     lambda r: _containers(r) == [("only", "x")]),
    ("map-replaced-by-directive",
     {"metadata": {"labels": {"tier": "fe", "$patch": "replace"}}},
     lambda r: r["metadata"]["labels"] == {"tier": "fe"}),
    ("map-deleted-by-directive",
     {"metadata": {"labels": {"$patch": "delete"}}},
     lambda r: r["metadata"]["labels"] == {}),
    ("merge-directive-on-map-is-a-plain-merge",
     {"metadata": {"labels": {"tier": "fe", "$patch": "merge"}}},
     lambda r: r["metadata"]["labels"] == {"app": "web", "tier": "fe"}),
    ("null-deletes-key",
     {"metadata": {"labels": {"app": None}}, "spec": {"hostAliases": None}},
     lambda r: r["metadata"]["labels"] == {} and "hostAliases" not in r["spec"]),
    ("ports-merged-by-container-port",
     {"spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 80, "protocol": "TCP"},
                                                           {"containerPort": 443}]}]}},
     lambda r: r["spec"]["containers"][0]["ports"] == [{"containerPort": 80, "name": "http", "protocol": "TCP"},
                                                        {"containerPort": 443}]),
    ("env-merged-by-name",
     {"spec": {"containers": [{"name": "nginx", "env": [{"name": "B", "value": "22"}, {"name": "C", "value": "3"}]}]}},
     lambda r: r["spec"]["containers"][0]["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "22"},
                                                      {"name": "C", "value": "3"}]),
    ("env-item-deleted",
     {"spec": {"containers": [{"name": "nginx", "env": [{"name": "A", "$patch": "delete"}]}]}},
     lambda r: r["spec"]["containers"][0]["env"] == [{"name": "B", "value": "2"}]),
    ("volume-mounts-by-mount-path",
     {"spec": {"containers": [{"name": "nginx", "volumeMounts": [{"mountPath": "/data", "readOnly": True}]}]}},
     lambda r: r["spec"]["containers"][0]["volumeMounts"] == [{"name": "data", "mountPath": "/data",
                                                                "readOnly": True}]),
    ("volumes-by-name-with-retain-keys",
     {"spec": {"volumes": [{"name": "data", "configMap": {"name": "cm"}, "$retainKeys": ["configMap", "name"]}]}},
     lambda r: r["spec"]["volumes"] == [{"name": "data", "configMap": {"name": "cm"}}]),
    ("tolerations-replaced",
     {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}},
     lambda r: r["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]),
    ("args-replaced",
     {"spec": {"containers": [{"name": "sidecar", "args": ["sleep", "2"]}]}},
     lambda r: r["spec"]["containers"][1]["args"] == ["sleep", "2"]),
    ("image-pull-secrets-by-name",
     {"spec": {"imagePullSecrets": [{"name": "s2"}]}},
     lambda r: r["spec"]["imagePullSecrets"] == [{"name": "s2"}, {"name": "s1"}]),
    ("host-aliases-by-ip",
     {"spec": {"hostAliases": [{"ip": "10.0.0.1", "hostnames": ["b"]}, {"ip": "10.0.0.2", "hostnames": ["c"]}]}},
     lambda r: r["spec"]["hostAliases"] == [{"ip": "10.0.0.1", "hostnames": ["b"]},
                                            {"ip": "10.0.0.2", "hostnames": ["c"]}]),
    ("conditions-by-type",
     {"status": {"conditions": [{"type": "Ready", "status": "True"}]}},
     lambda r: r["status"]["conditions"] == [{"type": "Ready", "status": "True"},
                                             {"type": "Initialized", "status": "True"}]),
    ("owner-references-by-uid",
     {"metadata": {"ownerReferences": [{"uid": "u1", "controller": True}]}},
     lambda r: r["metadata"]["ownerReferences"] == [{"uid": "u1", "name": "rs1", "controller": True}]),
    ("finalizers-set-merge",
     {"metadata": {"finalizers": ["b", "c"]}},
     lambda r: r["metadata"]["finalizers"] == ["a", "b", "c"]),
    ("finalizers-delete-from-primitive-list",
     {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}},
     lambda r: r["metadata"]["finalizers"] == ["b"]),
    ("set-element-order-reorders",
     {"spec": {"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "nginx"}]}},
     lambda r: _containers(r) == [("sidecar", "busybox"), ("nginx", "nginx:1.25")]),
    ("set-element-order-on-primitive-list",
     {"metadata": {"$setElementOrder/finalizers": ["b", "a"]}},
     lambda r: r["metadata"]["finalizers"] == ["b", "a"]),
    ("new-list-item-loses-directives-and-nulls",
     {"spec": {"containers": [{"name": "new", "image": "x", "env": None,
                               "$setElementOrder/ports": [{"containerPort": 1}]}]}},
     lambda r: r["spec"]["containers"][0] == {"name": "new", "image": "x"}),
    ("new-field-taken-as-is",
     {"spec": {"nodeSelector": {"disk": "ssd"}}},
     lambda r: r["spec"]["nodeSelector"] == {"disk": "ssd"}),
    ("replace-whole-object",
     {"$patch": "replace", "kind": "Pod", "metadata": {"name": "x"}},
     lambda r: r == {"kind": "Pod", "metadata": {"name": "x"}}),
]


@pytest.mark.parametrize("patch,check", [c[1:] for c in SMP_CASES], ids=[c[0] for c in SMP_CASES])
def test_strategic_merge_patch(patch, check):
    before, patch_before = copy.deepcopy(POD), copy.deepcopy(patch)
    result = apply_strategic_merge_patch(POD, patch)
    assert check(result), json.dumps(result, indent=1)
    assert POD == before and patch == patch_before


def test_kubectl_client_side_apply_second_run_patch():
    """The body kubectl 1.37 sends on a second `kubectl apply -f` that changes an image and drops a container."""
    last = json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                       "spec": {"containers": [{"image": "nginx:1.26", "name": "nginx"}]}})
    patch = {
        "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": last}},
        "spec": {"$setElementOrder/containers": [{"name": "nginx"}],
                 "containers": [{"image": "nginx:1.26", "name": "nginx"}, {"$patch": "delete", "name": "sidecar"}]},
    }
    result = apply_strategic_merge_patch(POD, patch)
    assert _containers(result) == [("nginx", "nginx:1.26")]
    assert result["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == last
    assert result["spec"]["containers"][0]["env"] == POD["spec"]["containers"][0]["env"]
    assert "$setElementOrder/containers" not in result["spec"]


def test_set_element_order_puts_new_items_where_the_order_says():
    patch = {"spec": {"$setElementOrder/containers": [{"name": "init"}, {"name": "nginx"}, {"name": "sidecar"}],
                      "containers": [{"name": "init", "image": "alpine"}]}}
    assert _containers(apply_strategic_merge_patch(POD, patch)) == [
        ("init", "alpine"), ("nginx", "nginx:1.25"), ("sidecar", "busybox")]


def test_deployment_strategy_retain_keys_drops_the_old_strategy():
    deployment = {"kind": "Deployment", "spec": {"strategy": {"type": "RollingUpdate",
                                                              "rollingUpdate": {"maxSurge": 1}}}}
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    assert apply_strategic_merge_patch(deployment, patch)["spec"]["strategy"] == {"type": "Recreate"}


def test_deployment_template_containers_merge_by_name():
    deployment = {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [
        {"name": "a", "image": "1"}, {"name": "b", "image": "2"}]}}}}
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "3"}]}}}}
    result = apply_strategic_merge_patch(deployment, patch)
    assert result["spec"]["template"]["spec"]["containers"] == [{"name": "a", "image": "1"}, {"name": "b", "image": "3"}]


def test_unknown_kind_lists_are_replaced():
    obj = {"kind": "Widget", "spec": {"containers": [{"name": "a"}]}}
    patch = {"spec": {"containers": [{"name": "b"}]}}
    assert apply_strategic_merge_patch(obj, patch)["spec"]["containers"] == [{"name": "b"}]


SMP_ERRORS = [
    ("unknown-map-directive", {"metadata": {"labels": {"$patch": "explode"}}}, "unknown patch type: explode in map"),
    ("merge-directive-in-list", {"spec": {"containers": [{"$patch": "merge"}]}},
     "merging lists cannot yet be specified in the patch"),
    ("delete-without-merge-key", {"spec": {"containers": [{"$patch": "delete"}]}},
     'does not contain declared merge key: name'),
    ("retain-keys-not-a-list", {"spec": {"volumes": [{"name": "data", "$retainKeys": "x"}]}},
     "invalid patch format of retainKeys"),
    ("retain-keys-missing-patched-key", {"spec": {"volumes": [{"name": "data", "$retainKeys": ["name"],
                                                               "secret": {}}]}},
     "invalid patch format of retainKeys"),
    ("set-element-order-not-a-list", {"spec": {"$setElementOrder/containers": "x"}},
     "invalid patch format of setElementOrder list"),
    ("patch-item-missing-from-order", {"spec": {"$setElementOrder/containers": [{"name": "nginx"}],
                                                "containers": [{"name": "other", "image": "x"}]}},
     "doesn't match $setElementOrder/ list"),
]


@pytest.mark.parametrize("patch,fragment", [c[1:] for c in SMP_ERRORS], ids=[c[0] for c in SMP_ERRORS])
def test_strategic_merge_patch_errors_are_bad_requests(patch, fragment):
    with pytest.raises(ApiError) as caught:
        apply_strategic_merge_patch(POD, patch)
    assert caught.value.code == 400
    assert fragment in caught.value.message
