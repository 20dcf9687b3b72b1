"""What the `:` line's history may keep (never a secret), and finding a line again."""

from __future__ import annotations

import pytest

from kubetui.model.command_history import History, storable


@pytest.mark.parametrize("line, kept", [
    pytest.param("kubectl get pods", "kubectl get pods", id="a plain command"),
    pytest.param('exec -it sample-pod -- /bin/bash -c "ls --all --classify | grep lib"',
                 'exec -it sample-pod -- /bin/bash -c "ls --all --classify | grep lib"', id="quoting kept"),
    pytest.param("kubectl get pods --token=abc -n x", "kubectl get pods -n x", id="--token=VALUE cut"),
    pytest.param("get pods --token abc", "get pods", id="--token VALUE cut"),
    pytest.param("get --password s pods", "get pods", id="--password cut"),
    pytest.param("--token x", None, id="nothing left"),
    pytest.param("kubectl create secret generic x --from-literal=a=b", None, id="create secret"),
    pytest.param("create configmap x --from-literal=password=b", None, id="a literal"),
    pytest.param("exec p -- env PASSWORD=x", None, id="a password in a command"),
    pytest.param('exec p -- curl -H "Authorization: Bearer abc"', None, id="a bearer token"),
    pytest.param("label pod x api_key=1", None, id="a key-like label"),
    pytest.param("get secrets", "get secrets", id="the word secrets alone is fine"),
    pytest.param("   ", None, id="blank"),
])
def test_storable(line, kept):
    assert storable(line) == kept


def test_history_drops_repeats_of_the_newest_keeps_the_limit_and_searches_backwards():
    history = History(limit=3)
    for line in ["get pods", "get pods", "describe pod a", "get deploy", "logs a"]:
        history.add(line)
    assert history.entries == ["describe pod a", "get deploy", "logs a"]
    assert history.search("get") == 1 and history.search("pod") == 0 and history.search("pod", 0) is None
    assert History(["get pods --token=x", "create secret generic s --from-literal=a=b"]).entries == ["get pods"]
