"""kubectl's port resolution for `port-forward`: named container ports, a Service's ports and
targetPorts, and kubectl's messages when one does not exist (table-driven)."""

from __future__ import annotations

import pytest

from kubetui.model.forward_ports import ForwardedPort, PortError, resolve
from kubetui.model.kubectl_grammar import port_mapping

POD = {"metadata": {"name": "web"}, "spec": {"containers": [
    {"name": "app", "ports": [{"containerPort": 8080, "name": "http"}]},
    {"name": "metrics", "ports": [{"containerPort": 9090, "name": "prom"}]}]}}
SERVICE = {"metadata": {"name": "web"}, "spec": {"ports": [
    {"name": "web", "port": 80, "targetPort": "http"}, {"name": "admin", "port": 81, "targetPort": 9000},
    {"port": 82}]}}


@pytest.mark.parametrize(("specs", "service", "expected"), [
    pytest.param(["8080:80"], None, [(8080, 80)], id="numbers"),
    pytest.param(["5000"], None, [(5000, 5000)], id="same on both ends"),
    pytest.param([":80"], None, [(0, 80)], id="any free local port"),
    pytest.param(["http"], None, [(8080, 8080)], id="named port alone"),
    pytest.param(["7000:prom"], None, [(7000, 9090)], id="named port of the second container"),
    pytest.param(["80"], SERVICE, [(80, 8080)], id="service port to its named targetPort"),
    pytest.param(["9000:81"], SERVICE, [(9000, 9000)], id="numeric targetPort"),
    pytest.param(["82"], SERVICE, [(82, 82)], id="targetPort omitted: the port itself"),
    pytest.param(["admin"], SERVICE, [(81, 9000)], id="service port by name"),
    pytest.param([":web"], SERVICE, [(0, 8080)], id="any local port, service port by name"),
])
def test_resolved_as_kubectl_does(specs, service, expected):
    got = resolve([port_mapping(spec) for spec in specs], POD, service)
    assert got == [ForwardedPort(local, remote) for local, remote in expected]


@pytest.mark.parametrize(("spec", "service", "message"), [
    pytest.param("8080:nope", None, "Pod 'web' does not have a named port 'nope'", id="pod named port"),
    pytest.param("8080:99", SERVICE, "Service web does not have a service port 99", id="service port"),
    pytest.param("nope", SERVICE, "Service 'web' does not have a named port 'nope'", id="service port name"),
])
def test_kubectls_messages(spec, service, message):
    with pytest.raises(PortError) as caught:
        resolve([port_mapping(spec)], POD, service)
    assert str(caught.value) == message
