"""Type names resolved as kubectl resolves them, on discovery shaped like a real cluster's.

The CLI tests compare with kubectl on the local cluster, whose kinds live in two groups with no
overlap; these cases need what a real cluster has: one plural in two groups (events), several
versions of a group, CRDs with short names and categories.
"""

from __future__ import annotations

import pytest

from kubetui.model.resource_names import (
    TypeArgumentError, UnknownResourceType, for_kind, parse_type_args, resolve, resources_from_discovery)


def entry(name, kind, short=(), categories=(), namespaced=True, singular=None):
    return {"name": name, "singularName": singular if singular is not None else kind.lower(), "kind": kind,
            "namespaced": namespaced, "shortNames": list(short), "categories": list(categories), "verbs": ["get"]}


# In kubectl's priority order: core, then the groups as /apis lists them, preferred version first.
DISCOVERY = [
    {"groupVersion": "v1", "resources": [
        entry("pods", "Pod", ("po",), ("all",)), entry("pods/log", "Pod"), entry("events", "Event", ("ev",)),
        entry("services", "Service", ("svc",), ("all",)), entry("endpoints", "Endpoints", ("ep",), singular="")]},
    {"groupVersion": "apps/v1", "resources": [entry("deployments", "Deployment", ("deploy",), ("all",))]},
    {"groupVersion": "events.k8s.io/v1", "resources": [entry("events", "Event", ("ev",))]},
    {"groupVersion": "autoscaling/v2", "resources": [entry("horizontalpodautoscalers", "HorizontalPodAutoscaler",
                                                           ("hpa",), ("all",))]},
    {"groupVersion": "autoscaling/v1", "resources": [entry("horizontalpodautoscalers", "HorizontalPodAutoscaler",
                                                           ("hpa",), ("all",))]},
    {"groupVersion": "storage.k8s.io/v1", "resources": [entry("storageclasses", "StorageClass", ("sc",),
                                                              namespaced=False)]},
    {"groupVersion": "cert-manager.io/v1", "resources": [
        entry("certificates", "Certificate", ("cert", "certs"), ("cert-manager",)),
        entry("issuers", "Issuer", (), ("cert-manager",))]},
    {"groupVersion": "example.com/v1", "resources": [entry("podmonitors", "PodMonitor", ("pmon",))]},
]
RESOURCES = resources_from_discovery(DISCOVERY)


@pytest.mark.parametrize("arg, group, version, plural", [
    ("events", "", "v1", "events"),                          # core first, as kubectl's priority picks
    ("ev", "", "v1", "events"),
    ("events.events.k8s.io", "events.k8s.io", "v1", "events"),
    ("events.events", "events.k8s.io", "v1", "events"),      # a group prefix
    ("hpa", "autoscaling", "v2", "horizontalpodautoscalers"),  # the preferred version
    ("hpa.v1.autoscaling", "autoscaling", "v1", "horizontalpodautoscalers"),
    ("horizontalpodautoscaler.v1.autoscaling", "autoscaling", "v1", "horizontalpodautoscalers"),
    ("storageclass.storage", "storage.k8s.io", "v1", "storageclasses"),
    ("certs", "cert-manager.io", "v1", "certificates"),
    ("Certificate.cert-manager.io", "cert-manager.io", "v1", "certificates"),
    ("endpoints", "", "v1", "endpoints"),                    # no singular name in discovery
    ("pmon", "example.com", "v1", "podmonitors"),
    ("PodMonitor", "example.com", "v1", "podmonitors"),
])
def test_resolves(arg, group, version, plural):
    found = resolve(arg, RESOURCES)
    assert (found.group, found.version, found.plural) == (group, version, plural)


@pytest.mark.parametrize("api_version, kind, found", [
    ("v1", "Event", ("v1", "events")),                      # not events.k8s.io's Event
    ("events.k8s.io/v1", "Event", ("events.k8s.io/v1", "events")),
    ("autoscaling/v1", "HorizontalPodAutoscaler", ("autoscaling/v1", "horizontalpodautoscalers")),  # not v2
    ("v1", "Pod", ("v1", "pods")),                          # not the pods/log subresource
    ("v1", "pod", None),                                    # a manifest's kind is exact
    ("apps/v2", "Deployment", None),
    ("v1", "Deployment", None),
])
def test_a_manifests_kind_maps_to_its_exact_group_and_version(api_version, kind, found):
    resource = for_kind(api_version, kind, RESOURCES)
    assert ((resource.api_version, resource.plural) if resource else None) == found


@pytest.mark.parametrize("arg, message", [
    ("pod/log", 'the server doesn\'t have a resource type "pod/log"'),  # subresources are not types
    ("Certs", 'the server doesn\'t have a resource type "Certs"'),      # short names are case-sensitive
    ("hpa.v3.autoscaling", 'the server doesn\'t have a resource type "hpa" in group "v3.autoscaling"'),
    ("issuers.example.com", 'the server doesn\'t have a resource type "issuers" in group "example.com"'),
])
def test_unknown(arg, message):
    with pytest.raises(UnknownResourceType) as raised:
        resolve(arg, RESOURCES)
    assert str(raised.value) == message


@pytest.mark.parametrize("args, types, pairs, single", [
    (["all"], ["pods", "services", "deployments.apps", "horizontalpodautoscalers.autoscaling"], [], False),
    (["cert-manager,po"], ["certificates.cert-manager.io", "issuers.cert-manager.io", "po"], [], False),
    (["deploy,deploy,rs"], ["deploy", "rs"], [], False),
    (["deploy", "a"], [], [("deploy", "a")], True),
    (["deploy,rs", "a", "b"], [], [("deploy", "a"), ("deploy", "b"), ("rs", "a"), ("rs", "b")], False),
    (["deploy/a", "rs/b"], [], [("deploy", "a"), ("rs", "b")], False),
])
def test_arguments(args, types, pairs, single):
    wanted = parse_type_args(args, RESOURCES)
    assert (wanted.types, wanted.pairs, wanted.single_item) == (types, pairs, single)


@pytest.mark.parametrize("args, message", [
    (["all", "x"], "you must specify only one resource"),
    (["a/b/c"], "arguments in resource/name form may not have more than one slash"),
    (["a,b/c"], "arguments in resource/name form must have a single resource and name"),
    (["a/b", "c"], "there is no need to specify a resource type as a separate argument when passing arguments "
                   "in resource/name form (e.g. 'kubetui get resource/<resource_name>' instead of "
                   "'kubetui get resource resource/<resource_name>'"),
])
def test_argument_errors(args, message):
    with pytest.raises(TypeArgumentError) as raised:
        parse_type_args(args, RESOURCES)
    assert str(raised.value) == message
