"""kubectl describe's event search, as GET selectors and as one watch filtered client-side."""

from __future__ import annotations

from kubetui.model.event_search import MIRROR_ANNOTATION, event_search


def event(name: str, uid: str, namespace: str = "default") -> dict:
    return {"metadata": {"name": name, "namespace": namespace}, "involvedObject": {"uid": uid}}


def test_a_pod_is_searched_without_its_kind_and_by_uid():
    search = event_search("", "Pod", {"metadata": {"name": "web", "namespace": "default", "uid": "u1"}})
    assert search.selectors() == ["involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u1"]
    assert search.watch_selector == "involvedObject.name=web,involvedObject.namespace=default"


def test_a_mirror_pod_is_searched_by_its_config_uid():
    pod = {"metadata": {"name": "etcd", "namespace": "kube-system", "uid": "u1",
                        "annotations": {MIRROR_ANNOTATION: "config-uid"}}}
    assert event_search("", "Pod", pod).uids == ("config-uid",)


def test_the_events_of_a_recreated_object_are_left_out_and_the_rest_keep_the_servers_order():
    search = event_search("", "Pod", {"metadata": {"name": "web", "namespace": "default", "uid": "new"}})
    events = [event("web.b", "new"), event("web.old", "old"), event("web.a", "new")]
    assert [e["metadata"]["name"] for e in search.matching(events)] == ["web.a", "web.b"]


def test_a_node_is_searched_by_uid_then_by_name_as_kubelets_report_it():
    search = event_search("", "Node", {"metadata": {"name": "n1", "uid": "u1"}})
    assert search.selectors() == [
        "involvedObject.name=n1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=u1",
        "involvedObject.name=n1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=n1",
    ]
    events = [event("n1.b", "n1", ""), event("n1.c", "u1", ""), event("n1.a", "n1", "")]
    assert [e["metadata"]["name"] for e in search.matching(events)] == ["n1.c", "n1.a", "n1.b"]


def test_before_the_object_is_read_there_is_one_search_without_uid():
    search = event_search("apps", "Deployment", {"metadata": {"name": "api", "namespace": "prod"}})
    assert search.uids == ("",)
    assert search.watch_selector == "involvedObject.name=api,involvedObject.namespace=prod,involvedObject.kind=Deployment"
    assert len(search.matching([event("api.1", "x"), event("api.2", "y")])) == 2
