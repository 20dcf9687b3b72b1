"""Decode-time checks: wrong JSON types and strict unknown fields, worded like the apiserver."""

import pytest

from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.apimachinery.schema import check_types, type_problems
from tests.support.pods import container, pod_manifest


def pod(spec=None, metadata=None):
    """A Pod whose spec or metadata is replaced whole, well-formed or not: the decoder is the subject."""
    manifest = pod_manifest("web", container("nginx", "nginx"))
    if spec is not None:
        manifest["spec"] = spec
    if metadata is not None:
        manifest["metadata"] = metadata
    return manifest


PREFIX = 'Pod in version "v1" cannot be handled as a Pod: '

TYPE_ERRORS = [
    ("containers-not-a-list", "Pod", pod({"containers": "nginx"}),
     "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"),
    ("container-not-an-object", "Pod", pod({"containers": ["nginx"]}),
     "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container"),
    ("image-number", "Pod", pod({"containers": [{"name": "a", "image": 5}]}),
     "json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string"),
    ("port-string", "Pod", pod({"containers": [{"name": "a", "ports": [{"containerPort": "80"}]}]}),
     "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"),
    ("port-fraction", "Pod", pod({"containers": [{"name": "a", "ports": [{"containerPort": 1.5}]}]}),
     "json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort "
     "of type int32"),
    ("label-number", "Pod", pod(metadata={"name": "a", "labels": {"app": 1}}),
     "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"),
    ("labels-list", "Pod", pod(metadata={"name": "a", "labels": ["app"]}),
     "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"),
    ("bool-as-string", "Pod", pod({"containers": [{"name": "a", "tty": "yes"}]}),
     "json: cannot unmarshal string into Go struct field Container.spec.containers.tty of type bool"),
    ("spec-not-object", "Pod", pod(spec=[]),
     "json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec"),
    ("quantity", "Pod", pod({"containers": [{"name": "a", "resources": {"limits": {"cpu": "lots"}}}]}),
     "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ("replicas-string", "Deployment", {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "3"}},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"),
    ("max-surge-bool", "Deployment", {"kind": "Deployment", "spec": {"strategy": {"rollingUpdate": {"maxSurge": True}}}},
     "json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge "
     "of type int32"),
    ("configmap-data-number", "ConfigMap", {"kind": "ConfigMap", "data": {"a": 1}},
     "json: cannot unmarshal number into Go struct field ConfigMap.data of type string"),
    ("configmap-binary-not-base64", "ConfigMap", {"kind": "ConfigMap", "binaryData": {"a": "!!!"}},
     "illegal base64 data at input byte 0"),
]


@pytest.mark.parametrize("kind,obj,message", [c[1:] for c in TYPE_ERRORS], ids=[c[0] for c in TYPE_ERRORS])
def test_type_errors(kind, obj, message):
    assert type_problems(kind, obj)[0] == message
    with pytest.raises(ApiError) as caught:
        check_types(kind, obj, strict=False)
    version = "v1"
    assert (caught.value.code, caught.value.reason) == (400, "BadRequest")
    assert caught.value.message == f'{kind} in version "{version}" cannot be handled as a {kind}: {message}'


WELL_TYPED = [
    ("pod", "Pod", pod()),
    ("nulls-are-zero-values", "Pod", pod({"containers": [{"name": "a", "image": None, "ports": None}]})),
    ("int-or-string", "Deployment", {"kind": "Deployment", "spec": {"strategy": {"rollingUpdate": {
        "maxSurge": "25%", "maxUnavailable": 1}}}}),
    ("quantities", "Pod", pod({"containers": [{"name": "a", "resources": {"limits": {"cpu": "500m", "memory": "1Gi"},
                                                                          "requests": {"cpu": 1}}}]})),
    ("open-types-take-anything", "Pod", pod({"containers": [{"name": "a", "livenessProbe": {"whatever": [1]}}],
                                             "affinity": {"nodeAffinity": {}}})),
    ("unknown-kind", "Widget", {"spec": {"anything": 1}}),
    ("binary-data", "ConfigMap", {"kind": "ConfigMap", "binaryData": {"a": "aGVsbG8="}}),
]


@pytest.mark.parametrize("kind,obj", [c[1:] for c in WELL_TYPED], ids=[c[0] for c in WELL_TYPED])
def test_well_typed_objects_pass_even_when_strict(kind, obj):
    check_types(kind, obj, strict=True)


def test_strict_reports_unknown_fields_with_indexes():
    obj = pod({"containers": [{"name": "a", "imagee": "x"}], "restartPolicyy": "Never"})
    assert type_problems("Pod", obj) == (None, ["spec.containers[0].imagee", "spec.restartPolicyy"])
    with pytest.raises(ApiError) as caught:
        check_types("Pod", obj, strict=True)
    assert caught.value.message == (PREFIX + 'strict decoding error: unknown field "spec.containers[0].imagee", '
                                             'unknown field "spec.restartPolicyy"')


def test_unknown_fields_pass_when_not_strict():
    check_types("Pod", pod({"containers": [{"name": "a", "imagee": "x"}]}), strict=False)


def test_type_error_wins_over_unknown_fields():
    obj = pod({"containers": [{"name": "a", "imagee": "x", "image": 1}]})
    with pytest.raises(ApiError) as caught:
        check_types("Pod", obj, strict=True)
    assert "cannot unmarshal number" in caught.value.message


def test_version_comes_from_the_body_api_version():
    with pytest.raises(ApiError) as caught:
        check_types("Deployment", {"apiVersion": "apps/v1", "kind": "Deployment", "spec": "x"}, strict=False)
    assert caught.value.message.startswith('Deployment in version "v1" cannot be handled as a Deployment: ')


def test_body_that_is_not_an_object():
    with pytest.raises(ApiError) as caught:
        check_types("Pod", [1], strict=False)
    assert caught.value.message == PREFIX + "json: cannot unmarshal array into Go value of type v1.Pod"
