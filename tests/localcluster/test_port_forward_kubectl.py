"""`kubectl port-forward` (SPDY tunneled in a WebSocket) and the Python client's `portforward` (v4
channels) against the simulated kubelet: nginx's page and access-log line, redis's PONG, a port
nothing listens on failing in the kubelet's words; and `kubectl attach` following a container."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.support.clusters import KUBECTL
from tests.support.waiting import wait_for
from tests.localcluster.forward_support import (http_get, kubectl_forward, logs, redis_command, resp,
                                                start_forward_cluster)

REFUSED = ('failed to connect to localhost:9999 inside namespace "{sandbox}", IPv4: dial tcp4 127.0.0.1:9999: '
           "connect: connection refused IPv6 dial tcp6 [::1]:9999: connect: connection refused ")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    running = start_forward_cluster(tmp_path_factory.mktemp("forward"))
    yield running
    running.cluster.stop()


def test_nginx_page_through_kubectl_and_its_access_log_line(env):
    forward = kubectl_forward(env, "pod/sample-pod", ":80")
    try:
        status, headers, body = http_get(forward.ports[80])
        assert status == 200 and headers["server"] == "nginx/1.16.1" and headers["content-length"] == "612"
        assert b"<title>Welcome to nginx!</title>" in body
        status, _, body = http_get(forward.ports[80], "/missing")
        assert status == 404 and b"<center>nginx/1.16.1</center>" in body
        line = wait_for(lambda: [text for text in logs(env, "sample-pod", "nginx-container").splitlines()
                                 if '"GET /missing HTTP/1.1" 404 153' in text], message="the access-log line")[0]
        assert line.startswith("127.0.0.1 - - [") and line.endswith('"-" "forward-test/1.0" "-"')
    finally:
        code, out, err = forward.interrupt()
    assert out.startswith(f"Forwarding from 127.0.0.1:{forward.ports[80]} -> 80\n"
                          f"Forwarding from [::1]:{forward.ports[80]} -> 80\nHandling connection for")


def test_a_page_written_with_exec_is_served(env):
    done = env.kubectl("exec", "sample-2pod", "-c", "nginx-container", "--", "sh", "-c",
                       "echo hello from exec > /usr/share/nginx/html/hello.html")
    assert done.returncode == 0, done.stderr
    forward = kubectl_forward(env, "sample-2pod", ":80")
    try:
        assert http_get(forward.ports[80], "/hello.html")[2] == b"hello from exec\n"
    finally:
        forward.interrupt()


def test_svc_and_deploy_resolve_to_a_pod_and_its_target_port(env):
    env.running(env.kubectl("get", "pods", "-l", "app=web-deploy", "-o", "name").stdout.strip().split("/")[-1]
                or "missing")
    service = kubectl_forward(env, "svc/web", ":8080")
    deployment = kubectl_forward(env, "deploy/web", ":http")
    try:
        assert service.stdout.decode().startswith(f"Forwarding from 127.0.0.1:{service.ports[80]} -> 80")
        assert http_get(service.ports[80])[0] == 200
        assert http_get(deployment.ports[80])[0] == 200
    finally:
        service.interrupt()
        deployment.interrupt()


def test_redis_answers_ping_and_keeps_its_keys_across_connections(env):
    forward = kubectl_forward(env, "sample-2pod", ":6379")
    try:
        port = forward.ports[6379]
        assert redis_command(port, b"PING\r\n", 7) == b"+PONG\r\n"
        assert redis_command(port, resp(b"SET", b"greeting", b"hi"), 5) == b"+OK\r\n"
        assert redis_command(port, resp(b"GET", b"greeting") + resp(b"QUIT"), 13) == b"$2\r\nhi\r\n+OK\r\n"
        unknown = b"-ERR unknown command 'FOO'\r\n"  # redis 3.2's words
        assert redis_command(port, b"FOO\r\n", len(unknown)) == unknown
    finally:
        forward.interrupt()


def test_a_port_nothing_listens_on_fails_as_the_kubelet_reports_it(env):
    forward = kubectl_forward(env, "sample-2pod", ":9999")
    with pytest.raises(OSError):
        http_get(forward.ports[9999])
    code, _, err = forward.finish()
    pod = env.raw.json("GET", "/api/v1/namespaces/default/pods/sample-2pod")
    from kubetui.localcluster.node.portforward_dial import netns_path, sandbox_id

    assert code == 1
    assert (f"error forwarding port 9999 to pod {sandbox_id(pod)}, uid : failed to execute portforward in network "
            f'namespace \\"{netns_path(pod)}\\": ' + REFUSED.format(sandbox=sandbox_id(pod)).replace('"', '\\"')) in err
    assert err.rstrip().endswith("error: lost connection to pod")


def test_python_client_portforward_v4(env):
    from kubernetes import client, config
    from kubernetes.stream import portforward

    api = client.CoreV1Api(config.new_client_from_config(config_file=str(env.kubeconfig)))
    forward = portforward(api.connect_get_namespaced_pod_portforward, "sample-2pod", "default", ports="6379,9999")
    sock = forward.socket(6379)
    sock.sendall(b"PING\r\n")
    assert sock.recv(100) == b"+PONG\r\n"
    error = wait_for(lambda: forward.error(9999), message="the error of 9999")
    assert REFUSED.split(",")[0].split('"')[0] in error and error.endswith("connection refused ")
    forward.close()


def test_kubectl_attach_follows_the_containers_output(env):
    env.raw.json("POST", "/api/v1/namespaces/default/pods", {"metadata": {"name": "ticker"}, "spec": {"containers": [
        {"name": "tick", "image": "busybox", "command": ["sh", "-c", "while true; do echo tick; sleep 1; done"]}]}},
        expect=201)
    env.running("ticker")
    process = subprocess.Popen([KUBECTL, "--kubeconfig", str(env.kubeconfig), "attach", "ticker"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env.env)
    try:
        deadline = time.monotonic() + 30
        seen = b""
        while b"tick\ntick\n" not in seen and time.monotonic() < deadline:
            seen += process.stdout.read1(4096)
        assert b"tick\ntick\n" in seen
    finally:
        process.terminate()
        process.communicate(timeout=10)
    wrong = env.kubectl("attach", "ticker", "-c", "nope")
    assert "container nope is not valid for pod ticker" in wrong.stderr


def test_kubectl_attach_i_to_a_shell_reading_stdin_answers_and_its_exit_ends_the_container(env):
    env.raw.json("POST", "/api/v1/namespaces/default/pods", {"metadata": {"name": "asker"}, "spec": {
        "restartPolicy": "Never",
        "containers": [{"name": "shell", "image": "busybox", "command": ["sh"], "stdin": True}]}}, expect=201)
    env.running("asker")
    typed = subprocess.run([KUBECTL, "--kubeconfig", str(env.kubeconfig), "attach", "-i", "asker"],
                           input=b"echo attached-$((2+3))\ncd /tmp && pwd\nexit\n", capture_output=True,
                           env=env.env, timeout=60)
    assert b"attached-5\n/tmp\n" in typed.stdout, typed
    assert typed.returncode == 0, typed

    def ended():
        shown = env.kubectl("get", "pod", "asker", "-o",
                            "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.reason}").stdout
        return shown if shown == "Succeeded Completed" else None

    wait_for(ended, message="the shell, the container's PID 1, exited: the pod completed (restartPolicy Never)")
