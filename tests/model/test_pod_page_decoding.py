"""The list worker's page decoder keeps every field a row is built from.

Each upstream printer case (and the samples the demo runs) is put in a page, decoded by the
worker's shape-driven decoder and by orjson: both must give kubectl's same row. A page that
does not fit the shape is decoded whole, so a malformed pod is still reported as such.
"""

from __future__ import annotations

from importlib import resources

import orjson
import pytest
import yaml
from pod_builders import NOW, RUNNING, pod, status
from test_pod_status_upstream import PRINT_POD_CASES, RESTARTABLE_INIT_CASES

from kubetui.kube.pod_page_decoding import decode_pod_page
from kubetui.model import pod_row


def _page(*pods: dict) -> bytes:
    return orjson.dumps({"kind": "PodList", "apiVersion": "v1",
                         "metadata": {"resourceVersion": "42", "continue": "next"}, "items": list(pods)})


def _rows(body) -> list:
    return [pod_row(item, NOW) for item in body["items"]]


@pytest.mark.parametrize(("pod_json", "expected"), PRINT_POD_CASES + RESTARTABLE_INIT_CASES)
def test_an_upstream_case_decodes_to_the_same_row(pod_json, expected):
    data = _page(pod_json)
    decoded = decode_pod_page(data)
    assert _rows(decoded) == _rows(orjson.loads(data))
    assert decoded["metadata"] == {"resourceVersion": "42", "continue": "next"}, "the page's own metadata whole"


def test_the_samples_decode_to_the_same_rows_and_lose_the_bulk():
    samples = resources.files("kubetui.samples")
    pods = [document for entry in samples.iterdir() if entry.name.endswith(".yaml")
            for document in yaml.safe_load_all(entry.read_text()) if document and document.get("kind") == "Pod"]
    assert len(pods) >= 5
    data = _page(*pods)
    decoded = decode_pod_page(data)
    assert _rows(decoded) == _rows(orjson.loads(data))
    assert all("image" not in container for item in decoded["items"] for container in item["spec"]["containers"])


def test_a_page_that_does_not_fit_the_shape_is_decoded_whole():
    odd = pod(statuses=[status(ready=True, restarts=1, state=RUNNING)])
    odd["status"]["containerStatuses"][0]["restartCount"] = "one"  # not what the API sends
    data = _page(odd)
    assert decode_pod_page(data) == orjson.loads(data)
    with pytest.raises(ValueError, match="malformed pod"):
        _rows(decode_pod_page(data))


def test_nulls_and_absent_fields_read_as_the_full_decode_reads_them():
    sparse = {"metadata": {"name": "p", "namespace": "default", "labels": None, "creationTimestamp": None},
              "spec": {"containers": [{"name": "c"}], "nodeName": None},
              "status": {"phase": "Pending", "conditions": None, "containerStatuses": [
                  {"name": "c", "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}},
                   "lastState": {}}]}}
    data = _page(sparse)
    assert _rows(decode_pod_page(data)) == _rows(orjson.loads(data))
