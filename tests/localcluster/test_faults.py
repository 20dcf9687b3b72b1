"""Fault injection: the debug endpoint and every knob, against the real server."""

from __future__ import annotations

import http.client
import socket

import orjson
import pytest
from kubernetes import watch
from kubernetes.client.rest import ApiException

from kubetui.localcluster import ClusterOptions, LocalCluster
from kubetui.localcluster.cluster.faults import FaultSettings, FaultSettingsError, get_faults, set_faults
from tests.support.clusters import cluster_fixture, start_cluster

PODS_PATH = "/api/v1/namespaces/default/pods"


running = cluster_fixture(controllers=False)


@pytest.fixture(autouse=True)
def no_faults_after(running):
    yield
    set_faults(running.cluster, reset=True)


def test_debug_endpoint_requires_the_admin_token(running):
    assert running.raw.call("GET", "/debug/faults", token="")[0] == 401
    assert running.raw.call("GET", "/debug/faults", token="wrong")[0] == 401
    status, _, body = running.raw.call("GET", "/debug/faults", token=running.cluster.viewer_token)
    assert status == 403 and body["kind"] == "Status" and body["reason"] == "Forbidden"
    status, _, body = running.raw.call("POST", "/debug/faults", {"latency_ms": 5},
                                  token=running.cluster.viewer_token)
    assert status == 403
    status, _, body = running.raw.call("GET", "/debug/faults")
    assert status == 200 and body["faults"] == FaultSettings().to_json()


def test_debug_endpoint_changes_and_validates(running):
    status, _, body = running.raw.call("POST", "/debug/faults", {"latency_ms": 20, "error_codes": [503]})
    assert status == 200
    assert body["faults"]["latency_ms"] == 20 and body["faults"]["error_codes"] == [503]
    status, _, body = running.raw.call("POST", "/debug/faults", {"latncy_ms": 5})
    assert status == 400 and "unknown fault setting(s): latncy_ms" in body["message"]
    status, _, body = running.raw.call("POST", "/debug/faults", {"error_rate": 2})
    assert status == 400 and "error_rate must be between 0 and 1, got 2" in body["message"]
    status, _, body = running.raw.call("POST", "/debug/faults", b"{not json")
    assert status == 400
    status, _, body = running.raw.call("POST", "/debug/faults", {"reset": True})
    assert body["faults"] == FaultSettings().to_json()


def test_latency_is_applied_to_api_requests(running):
    status, _, body = running.raw.call("POST", "/debug/faults", {"latency_ms": 30})
    assert body["faults"]["latency_ms"] == 30
    before = body["stats"]["delayed_requests"]
    assert running.raw.call("GET", PODS_PATH)[0] == 200
    after = running.raw.call("GET", "/debug/faults")[2]
    assert after["faults"]["latency_ms"] == 30
    assert after["stats"]["delayed_requests"] == before + 1


def test_error_rate_fails_some_requests_with_status_bodies(running):
    set_faults(running.cluster, error_rate=0.5, error_codes=[500, 503])
    codes = [running.raw.call("GET", PODS_PATH) for _ in range(40)]
    failures = [(status, body) for status, _, body in codes if status != 200]
    assert failures and len(failures) < 40
    for status, body in failures:
        assert status in (500, 503)
        assert body["kind"] == "Status" and body["code"] == status
        assert body["reason"] in ("InternalError", "ServiceUnavailable")
    # The switch itself keeps working while the API fails.
    set_faults(running.cluster, error_rate=1.0)
    assert running.raw.call("GET", "/debug/faults")[0] == 200


def test_429_carries_retry_after_and_the_client_sees_it(running):
    set_faults(running.cluster, error_rate=1.0, error_codes=[429])
    status, headers, body = running.raw.call("GET", PODS_PATH)
    assert status == 429 and headers["Retry-After"] == "1"
    assert body["reason"] == "TooManyRequests" and body["details"]["retryAfterSeconds"] == 1
    with pytest.raises(ApiException) as raised:
        running.core.list_namespaced_pod("default")
    assert raised.value.status == 429


CM_PATH = "/api/v1/namespaces/default/configmaps"


def _configmap(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}}


def test_errors_aimed_at_real_writes_spare_reads_and_dry_runs(running):
    set_faults(running.cluster, error_rate=1.0, error_codes=[503], error_requests="writes")
    assert running.raw.call("GET", PODS_PATH)[0] == 200
    assert running.raw.call("POST", CM_PATH + "?dryRun=All", _configmap("aimed"))[0] == 201
    status, _, body = running.raw.call("POST", CM_PATH, _configmap("aimed"))
    assert status == 503 and body["reason"] == "ServiceUnavailable"
    assert running.raw.call("GET", CM_PATH + "/aimed")[0] == 404, "the failed write changed nothing"
    set_faults(running.cluster, error_requests="dry_runs")
    assert running.raw.call("POST", CM_PATH + "?dryRun=All", _configmap("aimed"))[0] == 503
    assert running.raw.call("POST", CM_PATH, _configmap("aimed"))[0] == 201
    running.raw.call("DELETE", CM_PATH + "/aimed")


def test_error_match_picks_requests_and_error_limit_counts_them(running):
    set_faults(running.cluster, error_rate=1.0, error_codes=[500], error_match=r"^POST .*/configmaps$",
               error_limit=2)
    assert running.raw.call("GET", CM_PATH)[0] == 200, "not matched"
    statuses = [running.raw.call("POST", CM_PATH, _configmap(f"limited-{i}"))[0] for i in range(4)]
    assert statuses == [500, 500, 201, 201]
    set_faults(running.cluster, error_limit=1)  # a change starts the count again
    assert running.raw.call("POST", CM_PATH, _configmap("limited-4"))[0] == 500
    assert running.raw.call("POST", CM_PATH, _configmap("limited-4"))[0] == 201
    for i in range(2, 5):
        running.raw.call("DELETE", f"{CM_PATH}/limited-{i}")


def test_retry_after_is_adjustable(running):
    set_faults(running.cluster, error_rate=1.0, error_codes=[429], retry_after=3)
    status, headers, body = running.raw.call("GET", PODS_PATH)
    assert status == 429 and headers["Retry-After"] == "3" and body["details"]["retryAfterSeconds"] == 3
    set_faults(running.cluster, retry_after=0)
    status, headers, _ = running.raw.call("GET", PODS_PATH)
    assert status == 429 and "Retry-After" not in headers


def test_code_0_resets_the_connection_without_an_answer(running):
    set_faults(running.cluster, error_rate=1.0, error_codes=[0], error_limit=1)
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
        running.raw.call("GET", PODS_PATH)
    assert running.raw.call("GET", PODS_PATH)[0] == 200
    assert get_faults(running.cluster)["stats"]["failed_requests"] >= 1


def _open_watch(running, timeout_seconds: int | None = None):
    kwargs = {"timeout_seconds": timeout_seconds} if timeout_seconds else {}
    return running.core.list_namespaced_pod("default", watch=True, _preload_content=False,
                                            _request_timeout=(5, 30), **kwargs)


def test_drop_watches_every_closes_open_watches(running):
    response = _open_watch(running)  # no timeoutSeconds: only a drop ends it
    set_faults(running.cluster, drop_watches_every=0.2)
    data = response.read()  # returns at the end of the chunked stream; 30 s read timeout
    response.release_conn()
    assert data == b"" or data.endswith(b"\n")
    stats = get_faults(running.cluster)["stats"]
    assert stats["watch_drops"] >= 1 and stats["dropped_watches"] >= 1


def test_watch_410_answers_with_an_expired_error_event(running):
    set_faults(running.cluster, watch_410=True)
    response = _open_watch(running, timeout_seconds=5)
    (line,) = response.read().splitlines()
    response.release_conn()
    event = orjson.loads(line)
    assert event["type"] == "ERROR"
    assert event["object"]["code"] == 410 and event["object"]["reason"] == "Expired"
    assert event["object"]["message"].startswith("too old resource version: ")
    # The official client retries once and then raises the 410 to its caller.
    with pytest.raises(ApiException) as raised:
        for _ in watch.Watch().stream(running.core.list_namespaced_pod, "default",
                                      resource_version="1", timeout_seconds=5):
            pass
    assert raised.value.status == 410


def test_stalled_watch_sends_no_bytes_until_the_stall_ends(running):
    stall = 3.0
    set_faults(running.cluster, stall_watch_seconds=stall)
    raw = socket.create_connection(("127.0.0.1", running.cluster.port), timeout=5)
    with running.raw.context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall((f"GET {PODS_PATH}?watch=true&timeoutSeconds=10 HTTP/1.1\r\n"
                     f"Host: 127.0.0.1\r\nAuthorization: Bearer {running.cluster.token}\r\n"
                     "Accept: application/json\r\n\r\n").encode())
        tls.settimeout(1.0)  # well inside the stall, which began when the server got the request
        with pytest.raises(socket.timeout):
            tls.recv(1)
        tls.settimeout(stall + 10)
        first = tls.recv(64)
    assert first.startswith(b"HTTP/1.1 200")
    assert get_faults(running.cluster)["stats"]["stalled_watches"] >= 1


def test_faults_can_be_set_at_start(tmp_path):
    with start_cluster(tmp_path, controllers=False, latency_ms=7, watch_410=True) as running:
        _, _, body = running.raw.call("GET", "/debug/faults")
        assert body["faults"]["latency_ms"] == 7 and body["faults"]["watch_410"] is True


def test_bad_settings_at_start_are_refused_with_a_clear_message():
    with pytest.raises(FaultSettingsError, match="error_rate must be between 0 and 1, got 1.5"):
        LocalCluster(ClusterOptions(error_rate=1.5))


@pytest.mark.parametrize("changes,message", [
    ({"latency_ms": -1}, "latency_ms must be a whole number 0 or more"),
    ({"watch_410": "yes"}, "watch_410 must be true or false"),
    ({"error_codes": []}, "error_codes must be a non-empty list"),
    ({"error_codes": [200]}, "error_codes must be a non-empty list"),
    ({"drop_watches_every": "5"}, "drop_watches_every must be a number"),
    ({"error_requests": "patches"}, "error_requests must be one of all, writes, dry_runs, reads"),
    ({"error_match": "(unclosed"}, "error_match is not a regular expression"),
    ({"error_limit": -2}, "error_limit must be a whole number 0 or more"),
    ({"error_codes": [1]}, r"error_codes must be a non-empty list of HTTP error codes \(or 0: reset\)"),
])
def test_bad_settings_have_clear_messages(changes, message):
    with pytest.raises(FaultSettingsError, match=message):
        FaultSettings().changed(changes)
