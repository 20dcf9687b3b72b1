"""The official Python client's exec (kubernetes.stream) against the local cluster: exit codes,
stdin and its close frame, v4, resize, and the errors it sees before the upgrade."""

from __future__ import annotations

import json
import time

import pytest
from kubernetes.client.rest import ApiException
from kubernetes.stream import stream

from tests.conftest import wait_for
from tests.localcluster.exec_support import pod, simshell_children, start_exec_cluster

NGINX = {"name": "nginx-container", "image": "nginx:1.16"}
REDIS = {"name": "redis-container", "image": "redis:3.2"}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    running = start_exec_cluster(tmp_path_factory.mktemp("exec-py"))
    running.run_pod(pod("sample-pod", NGINX), "10.244.1.5")
    running.run_pod(pod("sample-2pod", NGINX, REDIS), "10.244.1.6")
    yield running
    running.cluster.stop()


@pytest.fixture(scope="module")
def core(env):
    api = env.api()
    yield api
    api.api_client.close()


def exec_stream(core, name: str, command: list[str], **kwargs):
    options = {"stderr": True, "stdin": False, "stdout": True, "tty": False}
    options.update(kwargs)
    return stream(core.connect_get_namespaced_pod_exec, name, "default", command=command,
                  _preload_content=False, **options)


def read_until(client, predicate, timeout: float = 15.0) -> str:
    """Collect stdout until predicate(text) holds, with a deadline."""
    text, deadline = "", time.monotonic() + timeout
    while not predicate(text):
        if time.monotonic() > deadline or not client.is_open():
            raise AssertionError(f"output so far: {text!r}")
        client.update(timeout=0.2)
        text += client.read_stdout(timeout=0) or ""
    return text


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
    deadline = time.monotonic() + 15
    answer = ""
    while "22 77" not in answer and time.monotonic() < deadline:
        client.write_stdin("stty size\r")
        answer = read_until(client, lambda text: text.endswith("# "))
    assert "22 77" in answer
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
