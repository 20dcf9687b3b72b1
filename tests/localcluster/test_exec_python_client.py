"""The official Python client's exec (kubernetes.stream) against the local cluster: exit codes,
stdin and its close frame, v4, resize, and the errors it sees before the upgrade."""

from __future__ import annotations

import json

import pytest
from kubernetes.client.rest import ApiException
from kubernetes.stream import stream

from tests.localcluster.exec_support import run_pod, simshell_children
from tests.support.clusters import BARE_SERVER, start_cluster
from tests.support.pods import container, pod_manifest
from tests.support.waiting import wait_for

NGINX = container("nginx-container", "nginx:1.16")
REDIS = container("redis-container", "redis:3.2")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with start_cluster(tmp_path_factory.mktemp("exec-py"), **BARE_SERVER) as running:
        run_pod(running, pod_manifest("sample-pod", NGINX), "10.244.1.5")
        run_pod(running, pod_manifest("sample-2pod", NGINX, REDIS), "10.244.1.6")
        yield running


@pytest.fixture(scope="module")
def core(env):
    return env.core


def exec_stream(core, name: str, command: list[str], **kwargs):
    options = {"stderr": True, "stdin": False, "stdout": True, "tty": False}
    options.update(kwargs)
    return stream(core.connect_get_namespaced_pod_exec, name, "default", command=command,
                  _preload_content=False, **options)


def read_until(client, predicate, timeout: float = 15.0) -> str:
    """Collect stdout until predicate(text) holds, with a deadline."""
    read = [""]

    def holds() -> bool:
        if predicate(read[0]):
            return True
        assert client.is_open(), f"the stream closed; output so far: {read[0]!r}"
        client.update(timeout=0.2)
        read[0] += client.read_stdout(timeout=0) or ""
        return False

    wait_for(holds, timeout, interval=0, message="the expected output", detail=lambda: f"output so far: {read[0]!r}")
    return read[0]


@pytest.mark.parametrize("code", [0, 6])
def test_returncode_comes_from_the_status_channel(core, code):
    client = exec_stream(core, "sample-pod", ["sh", "-c", f"echo out; echo err >&2; exit {code}"])
    client.run_forever(timeout=20)
    assert client.returncode == code
    assert client.read_stdout() == "out\n" and client.read_stderr() == "err\n"


def test_stdin_and_its_v5_close_frame(core):
    client = exec_stream(core, "sample-pod", ["cat"], stdin=True)
    assert client.subprotocol == "v5.channel.k8s.io"
    client.write_stdin("hello\n")
    assert read_until(client, lambda text: "hello" in text) == "hello\n"
    client.close_channel(0)  # EOF for cat
    client.run_forever(timeout=20)
    assert client.returncode == 0


def test_v4_protocol_still_works(core):
    client = exec_stream(core, "sample-pod", ["sh", "-c", "exit 5"],
                         _headers={"sec-websocket-protocol": "v4.channel.k8s.io"})
    client.run_forever(timeout=20)
    assert client.subprotocol == "v4.channel.k8s.io"
    assert client.returncode == 5


def test_terminal_resize_on_channel_4(core):
    client = exec_stream(core, "sample-pod", ["/bin/bash"], stdin=True, tty=True, stderr=False)
    client.write_channel(4, json.dumps({"Width": 77, "Height": 22}))
    read_until(client, lambda text: text.endswith("# "))

    def new_size_shown() -> bool:  # the resize and the typed line travel apart: ask until it shows
        client.write_stdin("stty size\r")
        return "22 77" in read_until(client, lambda text: text.endswith("# "))

    wait_for(new_size_shown, 15, message="stty size after the resize")
    client.write_stdin("exit 3\r")
    client.run_forever(timeout=20)
    assert client.returncode == 3


def test_missing_program_is_a_runtime_failure_without_exit_code(core):
    client = exec_stream(core, "sample-pod", ["ip", "a"])
    client.run_forever(timeout=20)
    error = json.loads(client.read_channel(3))
    assert error["status"] == "Failure" and error["reason"] == "InternalError"
    assert error["code"] == 500
    assert error["message"].endswith('exec: "ip": executable file not found in $PATH: unknown')


@pytest.mark.parametrize("container, message", [
    ("nope", "container nope is not valid for pod sample-2pod"),
    ("", "a container name must be specified for pod sample-2pod, choose one of: "
         "[nginx-container redis-container]"),
])
def test_errors_before_the_upgrade_carry_the_api_servers_status(core, container, message):
    options = {"container": container} if container else {}
    with pytest.raises(ApiException) as raised:
        stream(core.connect_get_namespaced_pod_exec, "sample-2pod", "default", command=["ls"],
               stderr=True, stdin=False, stdout=True, tty=False, **options)
    text = str(raised.value)
    assert "400 Bad Request" in text and message in text


def test_closing_the_socket_kills_the_session(core):
    before = simshell_children()
    client = exec_stream(core, "sample-pod", ["sleep", "600"], stdin=True, tty=True,
                         stderr=False)
    started = wait_for(lambda: simshell_children() - before, message="the exec's shell")
    client.close()
    wait_for(lambda: not (simshell_children() & started), message="the shell to be killed")


def test_requests_that_are_not_websocket_upgrades_are_refused(env):
    path = ("/api/v1/namespaces/default/pods/sample-pod/exec?command=ls&stdout=true"
            "&container=nginx-container")
    plain = env.raw.json("GET", path, expect=400)
    assert plain["message"] == "Upgrade request required"
    spdy = env.raw.json("POST", path, headers={"Connection": "Upgrade", "Upgrade": "SPDY/3.1"},
                        expect=400)
    assert "WebSocket exec protocol" in spdy["message"]
