"""Validation causes and Status bodies, compared with what a real apiserver answers."""

import copy

import pytest

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.validation.objects import GROUPS, invalid, validate, validate_or_raise
from tests.support.pods import container, pod_manifest

SUBDOMAIN_RULE = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                  "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                  "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_RULE = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
              "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
              "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035_RULE = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
                "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
                "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
LABEL_VALUE_RULE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
KEY_NAME_RULE = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                 "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                 "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")


def pod(**spec_changes):
    return pod_manifest("web", container("nginx", "nginx"), namespace="default", **spec_changes)


def deployment(**spec_changes):
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"containers": [container("nginx", "nginx")]}}}}
    obj["spec"].update(spec_changes)
    return obj


def with_meta(obj, **meta):
    obj = copy.deepcopy(obj)
    obj["metadata"].update(meta)
    return obj


VALID = [
    ("pod", "Pod", pod()),
    ("pod-all-defaults-given", "Pod", pod(restartPolicy="OnFailure", dnsPolicy="ClusterFirstWithHostNet")),
    ("pod-generate-name", "Pod", with_meta(pod(), name="web-x1", generateName="web-")),
    ("pod-with-volume", "Pod", pod(volumes=[{"name": "data", "emptyDir": {}}],
                                   containers=[{"name": "a", "image": "b",
                                                "volumeMounts": [{"name": "data", "mountPath": "/d"}]}])),
    ("pod-dns-none-with-config", "Pod", pod(dnsPolicy="None", dnsConfig={"nameservers": ["1.1.1.1"]})),
    ("pod-labels", "Pod", with_meta(pod(), labels={"app.kubernetes.io/name": "web", "empty": ""})),
    ("deployment", "Deployment", deployment()),
    ("deployment-match-expressions", "Deployment", deployment(selector={"matchExpressions": [
        {"key": "app", "operator": "In", "values": ["web"]}]})),
    ("replicaset", "ReplicaSet", {**deployment(), "kind": "ReplicaSet"}),
    ("service", "Service", {"metadata": {"name": "web"}, "spec": {"ports": [{"port": 80, "targetPort": "http"}]}}),
    ("headless-service", "Service", {"metadata": {"name": "web"}, "spec": {"clusterIP": "None"}}),
    ("configmap", "ConfigMap", {"metadata": {"name": "cfg"}, "data": {"a.conf": "x", "B_KEY": "y"}}),
    ("namespace", "Namespace", {"metadata": {"name": "team-a"}}),
    ("node", "Node", {"metadata": {"name": "node-1.example"}}),
]


@pytest.mark.parametrize("kind,obj", [c[1:] for c in VALID], ids=[c[0] for c in VALID])
def test_valid_objects_have_no_causes(kind, obj):
    assert validate(kind, obj) == []


CASES = [
    ("pod-name", "Pod", with_meta(pod(), name="Sample_Pod"),
     [("FieldValueInvalid", "metadata.name", f'Invalid value: "Sample_Pod": {SUBDOMAIN_RULE}')]),
    ("pod-name-too-long", "Pod", with_meta(pod(), name="a" * 254),
     [("FieldValueInvalid", "metadata.name", f'Invalid value: "{"a" * 254}": must be no more than 253 characters')]),
    ("missing-name", "Pod", with_meta(pod(), name=""),
     [("FieldValueRequired", "metadata.name", "Required value: name or generateName is required")]),
    ("namespace-name-dots", "Namespace", {"metadata": {"name": "a.b"}},
     [("FieldValueInvalid", "metadata.name", 'Invalid value: "a.b": must not contain dots')]),
    ("namespace-name-upper", "Namespace", {"metadata": {"name": "Team"}},
     [("FieldValueInvalid", "metadata.name", f'Invalid value: "Team": {LABEL_RULE}')]),
    ("service-name-starts-with-digit", "Service", {"metadata": {"name": "1web"}, "spec": {"ports": [{"port": 80}]}},
     [("FieldValueInvalid", "metadata.name", f'Invalid value: "1web": {DNS1035_RULE}')]),
    ("label-value", "Pod", with_meta(pod(), labels={"app": "bad value"}),
     [("FieldValueInvalid", "metadata.labels", f'Invalid value: "bad value": {LABEL_VALUE_RULE}')]),
    ("label-value-too-long", "Pod", with_meta(pod(), labels={"app": "v" * 64}),
     [("FieldValueInvalid", "metadata.labels", f'Invalid value: "{"v" * 64}": must be no more than 63 characters')]),
    ("label-key", "Pod", with_meta(pod(), labels={"bad key": "x"}),
     [("FieldValueInvalid", "metadata.labels", f'Invalid value: "bad key": {KEY_NAME_RULE}')]),
    ("no-containers", "Pod", pod(containers=[]),
     [("FieldValueRequired", "spec.containers", "Required value")]),
    ("missing-image", "Pod", pod(containers=[{"name": "nginx"}]),
     [("FieldValueRequired", "spec.containers[0].image", "Required value")]),
    ("container-name", "Pod", pod(containers=[container("Web_1", "x")]),
     [("FieldValueInvalid", "spec.containers[0].name", f'Invalid value: "Web_1": {LABEL_RULE}')]),
    ("duplicate-container", "Pod", pod(containers=[container("nginx", "a"), container("nginx", "b")]),
     [("FieldValueDuplicate", "spec.containers[1].name", 'Duplicate value: "nginx"')]),
    ("init-container-clashes-with-container", "Pod", pod(initContainers=[container("nginx", "busybox")]),
     [("FieldValueDuplicate", "spec.initContainers[0].name", 'Duplicate value: "nginx"')]),
    ("duplicate-port-name", "Pod", pod(containers=[{"name": "nginx", "image": "x", "ports": [
        {"name": "http", "containerPort": 80}, {"name": "http", "containerPort": 8080}]}]),
     [("FieldValueDuplicate", "spec.containers[0].ports[1].name", 'Duplicate value: "http"')]),
    ("port-out-of-range", "Pod", pod(containers=[{"name": "nginx", "image": "x", "ports": [{"containerPort": 70000}]}]),
     [("FieldValueInvalid", "spec.containers[0].ports[0].containerPort",
       "Invalid value: 70000: must be between 1 and 65535, inclusive")]),
    ("port-missing", "Pod", pod(containers=[{"name": "nginx", "image": "x", "ports": [{"name": "http"}]}]),
     [("FieldValueRequired", "spec.containers[0].ports[0].containerPort", "Required value")]),
    ("port-name-no-letter", "Pod", pod(containers=[{"name": "n", "image": "x", "ports": [
        {"name": "8080", "containerPort": 80}]}]),
     [("FieldValueInvalid", "spec.containers[0].ports[0].name", 'Invalid value: "8080": must contain at least one '
                                                                "letter (a-z)")]),
    ("port-protocol", "Pod", pod(containers=[{"name": "n", "image": "x", "ports": [
        {"containerPort": 80, "protocol": "HTTP"}]}]),
     [("FieldValueNotSupported", "spec.containers[0].ports[0].protocol",
       'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"')]),
    ("restart-policy", "Pod", pod(restartPolicy="Sometimes"),
     [("FieldValueNotSupported", "spec.restartPolicy",
       'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"')]),
    ("dns-policy", "Pod", pod(dnsPolicy="Google"),
     [("FieldValueNotSupported", "spec.dnsPolicy", 'Unsupported value: "Google": supported values: "ClusterFirst", '
                                                   '"ClusterFirstWithHostNet", "Default", "None"')]),
    ("dns-none-needs-config", "Pod", pod(dnsPolicy="None"),
     [("FieldValueRequired", "spec.dnsConfig", "Required value: must provide `dnsConfig` when `dnsPolicy` is None")]),
    ("image-pull-policy", "Pod", pod(containers=[{"name": "n", "image": "x", "imagePullPolicy": "Sometimes"}]),
     [("FieldValueNotSupported", "spec.containers[0].imagePullPolicy",
       'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"')]),
    ("host-alias-ip", "Pod", pod(hostAliases=[{"ip": "not-an-ip", "hostnames": ["a"]}]),
     [("FieldValueInvalid", "spec.hostAliases[0].ip",
       'Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')]),
    ("volume-mount-unknown-volume", "Pod", pod(containers=[{"name": "n", "image": "x", "volumeMounts": [
        {"name": "data", "mountPath": "/d"}]}]),
     [("FieldValueNotFound", "spec.containers[0].volumeMounts[0].name", 'Not found: "data"')]),
    ("volume-without-type", "Pod", pod(volumes=[{"name": "data"}]),
     [("FieldValueRequired", "spec.volumes[0]", "Required value: must specify a volume type")]),
    ("env-name", "Pod", pod(containers=[{"name": "n", "image": "x", "env": [{"name": "A=B", "value": "1"}]}]),
     [("FieldValueInvalid", "spec.containers[0].env[0].name", 'Invalid value: "A=B": a valid environment variable '
                                                              "name must consist only of printable ASCII characters "
                                                              "other than '='")]),
    ("deployment-missing-selector", "Deployment", deployment(selector=None),
     [("FieldValueRequired", "spec.selector", "Required value"),
      ("FieldValueInvalid", "spec.template.metadata.labels",
       'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`')]),
    ("deployment-selector-mismatch", "Deployment", deployment(selector={"matchLabels": {"app": "x"}}),
     [("FieldValueInvalid", "spec.template.metadata.labels",
       'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`')]),
    ("deployment-negative-replicas", "Deployment", deployment(replicas=-1),
     [("FieldValueInvalid", "spec.replicas", "Invalid value: -1: must be greater than or equal to 0")]),
    ("deployment-template-restart-policy", "Deployment", deployment(template={
        "metadata": {"labels": {"app": "web"}},
        "spec": {"restartPolicy": "Never", "containers": [container("nginx", "nginx")]}}),
     [("FieldValueNotSupported", "spec.template.spec.restartPolicy",
       'Unsupported value: "Never": supported values: "Always"')]),
    ("deployment-template-pod-spec-prefixed", "Deployment", deployment(template={
        "metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx"}]}}),
     [("FieldValueRequired", "spec.template.spec.containers[0].image", "Required value")]),
    ("deployment-template-label-path-quirk", "Deployment", deployment(
        selector={"matchLabels": {"app": "web"}},
        template={"metadata": {"labels": {"app": "web", "x": "bad value"}},
                  "spec": {"containers": [container("nginx", "nginx")]}}),
     [("FieldValueInvalid", "spec.template.labels", f'Invalid value: "bad value": {LABEL_VALUE_RULE}')]),
    ("deployment-strategy", "Deployment", deployment(strategy={"type": "BlueGreen"}),
     [("FieldValueNotSupported", "spec.strategy.type",
       'Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"')]),
    ("deployment-expression-without-values", "Deployment", deployment(selector={"matchExpressions": [
        {"key": "app", "operator": "In"}]}),
     [("FieldValueRequired", "spec.selector.matchExpressions[0].values",
       "Required value: must be specified when `operator` is 'In' or 'NotIn'"),
      ("FieldValueInvalid", "spec.selector",
       'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement'
       '{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string(nil)}}}: invalid label selector')]),
    ("service-ports-need-names", "Service", {"metadata": {"name": "web"}, "spec": {"ports": [{"port": 80},
                                                                                            {"port": 81}]}},
     [("FieldValueRequired", "spec.ports[0].name", "Required value"),
      ("FieldValueRequired", "spec.ports[1].name", "Required value")]),
    ("service-without-ports", "Service", {"metadata": {"name": "web"}, "spec": {}},
     [("FieldValueRequired", "spec.ports", "Required value")]),
    ("service-type", "Service", {"metadata": {"name": "web"}, "spec": {"type": "Public", "ports": [{"port": 80}]}},
     [("FieldValueNotSupported", "spec.type", 'Unsupported value: "Public": supported values: "ClusterIP", '
                                              '"ExternalName", "LoadBalancer", "NodePort"')]),
    ("configmap-key", "ConfigMap", {"metadata": {"name": "cfg"}, "data": {"bad key": "x"}},
     [("FieldValueInvalid", "data[bad key]", "Invalid value: \"bad key\": a valid config key must consist of "
                                             "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
                                             "'KEY_NAME',  or 'key-name', regex used for validation is "
                                             "'[-._a-zA-Z0-9]+')")]),
]


@pytest.mark.parametrize("kind,obj,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validation_causes(kind, obj, expected):
    assert [(c["reason"], c["field"], c["message"]) for c in validate(kind, obj)] == expected


@pytest.mark.parametrize("obj", [
    {"metadata": "x", "spec": []},
    {"metadata": {"name": 5, "labels": ["a"]}, "spec": {"containers": "nginx"}},
    {"metadata": {"name": "a"}, "spec": {"containers": [1, None, {"name": 2, "ports": "x", "env": [3]}]}},
    {"metadata": {"name": "a"}, "spec": {"containers": [container("a", "b")], "volumes": [7],
                                          "hostAliases": ["x"], "tolerations": [None], "dnsConfig": 3}},
], ids=["wrong-top-level-types", "wrong-field-types", "junk-list-items", "junk-in-optional-lists"])
@pytest.mark.parametrize("kind", ["Pod", "Deployment", "ReplicaSet", "Service", "ConfigMap", "Namespace", "Node"])
def test_wrongly_typed_objects_give_causes_not_tracebacks(kind, obj):
    assert isinstance(validate(kind, obj), list)


# ---------------------------------------------------------------- Status bodies


def test_invalid_status_for_one_cause():
    causes = validate("Pod", with_meta(pod(), name="Sample_Pod"))
    assert invalid("Pod", "Sample_Pod", causes).status() == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": f'Pod "Sample_Pod" is invalid: metadata.name: Invalid value: "Sample_Pod": {SUBDOMAIN_RULE}',
        "reason": "Invalid",
        "details": {"name": "Sample_Pod", "kind": "Pod", "causes": [
            {"reason": "FieldValueInvalid", "message": f'Invalid value: "Sample_Pod": {SUBDOMAIN_RULE}',
             "field": "metadata.name"}]},
        "code": 422,
    }


def test_invalid_status_for_several_causes_in_an_apps_kind():
    with pytest.raises(ApiError) as caught:
        validate_or_raise("Deployment", deployment(selector=None))
    status = caught.value.status()
    assert status["message"] == (
        'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid '
        'value: map[string]string{"app":"web"}: `selector` does not match template `labels`]')
    assert status["details"]["group"] == "apps" and status["details"]["kind"] == "Deployment"
    assert GROUPS["ReplicaSet"] == "apps"


def test_validate_or_raise_accepts_a_valid_object():
    validate_or_raise("Pod", pod())


STATUS_HELPERS = [
    ("not-found", errors.not_found("pods", "nope"), 404, "NotFound", 'pods "nope" not found',
     {"name": "nope", "kind": "pods"}),
    ("not-found-apps", errors.not_found("deployments", "web", "apps"), 404, "NotFound",
     'deployments.apps "web" not found', {"name": "web", "group": "apps", "kind": "deployments"}),
    ("already-exists", errors.already_exists("pods", "x"), 409, "AlreadyExists", 'pods "x" already exists',
     {"name": "x", "kind": "pods"}),
    ("conflict", errors.conflict("pods", "x"), 409, "Conflict",
     'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the '
     "latest version and try again", {"name": "x", "kind": "pods"}),
    ("bad-request", errors.bad_request("nope"), 400, "BadRequest", "nope", None),
    ("unsupported-media-type", errors.unsupported_media_type("text/plain", errors.PATCH_MEDIA_TYPES), 415,
     "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
     "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, "
     "application/apply-patch+yaml", None),
    ("forbidden", errors.forbidden("pods", "x", "not today"), 403, "Forbidden", 'pods "x" is forbidden: not today',
     {"name": "x", "kind": "pods"}),
    ("unauthorized", errors.unauthorized(), 401, "Unauthorized", "Unauthorized", None),
    ("gone", errors.gone_expired("too old resource version: 1 (101)"), 410, "Expired",
     "too old resource version: 1 (101)", None),
]


@pytest.mark.parametrize("error,code,reason,message,details", [c[1:] for c in STATUS_HELPERS],
                         ids=[c[0] for c in STATUS_HELPERS])
def test_status_helpers(error, code, reason, message, details):
    status = error.status()
    assert list(status) == ["kind", "apiVersion", "metadata", "status", "message", "reason"] + (
        ["details"] if details is not None else []) + ["code"]
    assert (status["code"], status["reason"], status["message"], status.get("details")) == (
        code, reason, message, details)
    assert isinstance(error, ApiError) and str(error) == message
