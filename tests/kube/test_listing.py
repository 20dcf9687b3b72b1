"""list_pods / list_namespaces against the session's local API server: plain dicts, one request."""

from __future__ import annotations

import gc

import pytest
from kubernetes.client.exceptions import ApiException

from kubetui.kube.listing import list_namespaces, list_pods
from kubetui.kube.requesting import paused_gc
from tests.support.pods import pod_manifest


@pytest.fixture
def three_pods(raw, namespace):
    for name, labels in (("web-1", {"app": "web"}), ("web-2", {"app": "web"}), ("db-1", {"app": "db"})):
        raw.create_pod(namespace, pod_manifest(name, labels=labels))
    return namespace


def test_list_returns_plain_dicts_and_the_list_resource_version(api_client, core_api, three_pods):
    items, resource_version = list_pods(api_client, three_pods)
    assert all(type(item) is dict for item in items)
    assert sorted(item["metadata"]["name"] for item in items) == ["db-1", "web-1", "web-2"]
    assert resource_version.isdigit()
    # The same pods the client's own (model-based) method lists.
    models = core_api.list_namespaced_pod(three_pods)
    assert sorted(p.metadata.name for p in models.items) == ["db-1", "web-1", "web-2"]
    assert int(resource_version) >= max(int(item["metadata"]["resourceVersion"]) for item in items)


def test_label_and_field_selectors_reach_the_server(api_client, three_pods):
    web, _ = list_pods(api_client, three_pods, label_selector="app=web")
    assert sorted(item["metadata"]["name"] for item in web) == ["web-1", "web-2"]
    named, _ = list_pods(api_client, three_pods, field_selector="metadata.name=db-1")
    assert [item["metadata"]["name"] for item in named] == ["db-1"]


def test_all_namespaces_includes_this_namespace(api_client, three_pods):
    items, _ = list_pods(api_client, None)
    assert {item["metadata"]["namespace"] for item in items} >= {three_pods}


def test_list_namespaces_is_sorted_names(api_client, namespace):
    names = list_namespaces(api_client)
    assert names == sorted(names)
    assert {"default", namespace} <= set(names)


def test_an_empty_namespace_lists_nothing(api_client, namespace):
    assert list_pods(api_client, namespace)[0] == []


def test_a_bad_selector_is_the_servers_400(api_client, namespace):
    with pytest.raises(ApiException) as caught:
        list_pods(api_client, namespace, label_selector="app in (unclosed")
    assert caught.value.status == 400


def test_paused_gc_nests_and_restores():
    assert gc.isenabled()
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
