"""A list or watch from a resourceVersion the server has not reached gets kube-apiserver's answer:
504 Timeout "Too large resource version", with the cause client-go's reflector re-lists on."""

from __future__ import annotations

import subprocess

import orjson
import pytest

FUTURE = 999999999


def _current(raw) -> int:
    return int(raw.json("GET", "/api/v1/namespaces/default/pods", expect=200)["metadata"]["resourceVersion"])


@pytest.mark.parametrize("query", ["watch=true&resourceVersion=999999999", "resourceVersion=999999999",
                                   "resourceVersion=999999999&limit=500"], ids=["watch", "list", "paged list"])
def test_a_resource_version_from_the_future_is_refused_with_504(raw, query):
    current = _current(raw)
    status, headers, body = raw.request("GET", f"/api/v1/namespaces/default/pods?{query}")
    assert status == 504
    assert headers.get("Retry-After") == "1"
    answer = orjson.loads(body)
    assert answer["reason"] == "Timeout" and answer["code"] == 504 and answer["status"] == "Failure"
    assert answer["message"].startswith(f"Timeout: Too large resource version: {FUTURE}, current: ")
    assert int(answer["message"].rsplit(" ", 1)[1]) >= current
    assert answer["details"] == {
        "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
        "retryAfterSeconds": 1}


def test_kubectl_prints_the_servers_words(kubectl):
    # kubectl retries a 504 with Retry-After ten times, a second apart, before it prints: the two
    # requests wait side by side.
    runs = [subprocess.Popen([*kubectl.command, "get", "--raw", path], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=kubectl.env)
            for path in ("/api/v1/namespaces/default/pods?watch=true&resourceVersion=999999999",
                         "/api/v1/pods?resourceVersion=999999999")]
    for run in runs:
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == 1
        assert stderr.startswith(
            f"Error from server (Timeout): Timeout: Too large resource version: {FUTURE}, current: "), stderr


def test_the_current_resource_version_is_served(raw):
    current = _current(raw)
    status, _, body = raw.request("GET", f"/api/v1/namespaces/default/pods?resourceVersion={current}")
    assert status == 200, body
    status, _, body = raw.request(
        "GET", f"/api/v1/namespaces/default/pods?watch=true&resourceVersion={current}&timeoutSeconds=1")
    assert status == 200, body


def test_a_resource_version_that_is_not_a_number_is_a_bad_request(raw):
    status, _, body = raw.request("GET", "/api/v1/namespaces/default/pods?resourceVersion=abc")
    assert status == 400
    assert "resourceVersion" in orjson.loads(body)["message"]  # as a watch from "abc" always was
