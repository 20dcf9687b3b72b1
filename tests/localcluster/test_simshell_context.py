"""build_context: what a container would see, as a pure function of the pod (no server)."""

from __future__ import annotations

import base64

import pytest

from kubetui.localcluster.images.catalogue import lookup_image
from kubetui.localcluster.sandbox.context import ContextError, build_context, effective_argv
from tests.localcluster.exec_support import as_running
from tests.support.pods import container, pod_manifest

NGINX = container("nginx-container", "nginx:1.16")
REDIS = container("redis-container", "redis:3.2")


def test_hosts_file_is_the_kubelets_with_host_aliases():
    sample = as_running(pod_manifest("sample-hostaliases", NGINX,
                         hostAliases=[{"ip": "8.8.8.8", "hostnames": ["google-dns"]},
                                      {"ip": "10.1.2.3", "hostnames": ["foo.local", "bar"]}]))
    hosts = build_context(sample, "nginx-container", "172.18.0.3")["files"]["/etc/hosts"]
    assert hosts == ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
                     "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                     "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
                     "10.244.1.5\tsample-hostaliases\n\n# Entries added by HostAliases.\n"
                     "8.8.8.8\tgoogle-dns\n10.1.2.3\tfoo.local\tbar\n")


def test_hosts_file_with_hostname_and_subdomain_uses_the_fqdn():
    sample = as_running(pod_manifest("web-0", NGINX, hostname="web-0", subdomain="web"), namespace="shop")
    hosts = build_context(sample, "nginx-container", "172.18.0.3")["files"]["/etc/hosts"]
    assert hosts.endswith("10.244.1.5\tweb-0.web.shop.svc.cluster.local\tweb-0\n")


CLUSTER_DNS = ("search team.svc.cluster.local svc.cluster.local cluster.local\n"
               "nameserver 10.96.0.10\noptions ndots:5\n")
NODE_DNS = "search localdomain\nnameserver 192.168.65.254\n"


@pytest.mark.parametrize("spec, expected", [
    pytest.param({}, CLUSTER_DNS, id="default-is-ClusterFirst"),
    pytest.param({"dnsPolicy": "ClusterFirst"}, CLUSTER_DNS, id="ClusterFirst"),
    pytest.param({"dnsPolicy": "Default"}, NODE_DNS, id="Default-is-the-node"),
    pytest.param({"dnsPolicy": "ClusterFirst", "hostNetwork": True}, NODE_DNS,
                 id="ClusterFirst-with-hostNetwork-falls-back"),
    pytest.param({"dnsPolicy": "ClusterFirstWithHostNet", "hostNetwork": True}, CLUSTER_DNS,
                 id="ClusterFirstWithHostNet"),
    pytest.param({"dnsPolicy": "None", "dnsConfig": {
        "nameservers": ["1.1.1.1"], "searches": ["example.com"],
        "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}},
        "search example.com\nnameserver 1.1.1.1\noptions ndots:2 edns0\n", id="None"),
    pytest.param({"dnsConfig": {"options": [{"name": "ndots", "value": "1"}]}},
                 CLUSTER_DNS.replace("ndots:5", "ndots:1"), id="ClusterFirst-plus-dnsConfig"),
])
def test_resolv_conf_follows_dns_policy(spec, expected):
    sample = as_running(pod_manifest("dns", NGINX, **spec), namespace="team")
    assert build_context(sample, "nginx-container", "172.18.0.3")["files"][
        "/etc/resolv.conf"] == expected


@pytest.mark.parametrize("container, expected", [
    (container("c", "nginx:1.16"), "/"),
    (container("c", "redis:3.2"), "/data"),
    ({"name": "c", "image": "nginx:1.16", "workingDir": "/tmp"}, "/tmp"),
])
def test_working_dir_comes_from_the_spec_else_the_image(container, expected):
    assert build_context(as_running(pod_manifest("wd", container)), "c", "172.18.0.3")[
        "working_dir"] == expected


def test_environment_has_image_service_and_resolved_container_variables():
    container = {**NGINX, "env": [
        {"name": "GREETING", "value": "hello"},
        {"name": "MESSAGE", "value": "$(GREETING) world $$(LITERAL)"},
        {"name": "MY_POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "MY_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
        {"name": "COLOR", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "color"}}},
        {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "pw"}}}]}
    objects = {("configmaps", "cfg"): {"data": {"color": "blue"}},
               ("secrets", "sec"): {"data": {"pw": base64.b64encode(b"s3cret").decode()}}}
    service = {"metadata": {"name": "web-svc"},
               "spec": {"clusterIP": "10.96.5.5", "ports": [{"port": 8080, "protocol": "TCP"}]}}
    env = dict(build_context(as_running(pod_manifest("envs", container)), "nginx-container", "172.18.0.3",
                             lookup=lambda plural, name: objects.get((plural, name)),
                             services=[service])["env"])
    assert env["PATH"] == "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    assert env["NGINX_VERSION"] == "1.16.1" and env["HOSTNAME"] == "envs"
    assert env["HOME"] == "/root"
    assert env["MESSAGE"] == "hello world $(LITERAL)"
    assert (env["MY_POD"], env["MY_IP"]) == ("envs", "10.244.1.5")
    assert (env["COLOR"], env["PASSWORD"]) == ("blue", "s3cret")
    assert env["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"
    assert env["KUBERNETES_SERVICE_PORT"] == env["KUBERNETES_SERVICE_PORT_HTTPS"] == "443"
    assert env["KUBERNETES_PORT"] == "tcp://10.96.0.1:443"
    assert env["WEB_SVC_SERVICE_HOST"] == "10.96.5.5"
    assert env["WEB_SVC_PORT_8080_TCP_ADDR"] == "10.96.5.5"


def test_every_container_process_and_socket_is_listed_with_its_container():
    context = build_context(as_running(pod_manifest("sample-2pod", NGINX, REDIS)), "redis-container",
                            "172.18.0.3")
    processes = {(p["container"], p["pid"], p["command"]) for p in context["processes"]}
    assert ("nginx-container", 1, "nginx: master process nginx -g daemon off;") in processes
    assert ("nginx-container", 6, "nginx: worker process") in processes
    assert ("redis-container", 1, "redis-server *:6379") in processes
    ports = {(s["container"], s["port"]) for s in context["sockets"]}
    assert ports == {("nginx-container", 80), ("redis-container", 6379)}
    assert context["exec_pid"] == 7


def test_a_command_override_replaces_the_images_program_and_its_sockets():
    sleeper = {**NGINX, "command": ["/bin/sleep"], "args": ["3600"]}
    context = build_context(as_running(pod_manifest("sleeper", sleeper)), "nginx-container", "172.18.0.3")
    assert [p["command"] for p in context["processes"]] == ["/bin/sleep 3600"]
    assert context["sockets"] == []


def test_shared_process_namespace_puts_pause_first():
    context = build_context(as_running(pod_manifest("shared", NGINX, REDIS, shareProcessNamespace=True)),
                            "nginx-container", "172.18.0.3")
    assert context["processes"][0]["command"] == "/pause"
    assert len({p["pid"] for p in context["processes"]}) == len(context["processes"])


def test_host_network_uses_the_node_name_and_address():
    context = build_context(as_running(pod_manifest("hostnet", NGINX, hostNetwork=True,
                                        node="kubetui-node-1")), "nginx-container", "172.18.0.2")
    assert (context["hostname"], context["pod_ip"]) == ("kubetui-node-1", "172.18.0.2")
    assert "172.18.0.2\tkubetui-node-1\n" in context["files"]["/etc/hosts"]


def test_mounts_show_config_maps_and_empty_dirs_and_the_token():
    container = {**NGINX, "volumeMounts": [{"name": "cfg", "mountPath": "/etc/app"},
                                           {"name": "scratch", "mountPath": "/cache"}]}
    manifest = pod_manifest("vols", container, volumes=[{"name": "cfg", "configMap": {"name": "app"}},
                                               {"name": "scratch", "emptyDir": {}}])
    mounts = {m["path"]: m for m in build_context(
        as_running(manifest), "nginx-container", "172.18.0.3",
        lookup=lambda plural, name: {"data": {"app.conf": "x=1\n"}}
        if (plural, name) == ("configmaps", "app") else None)["mounts"]}
    assert mounts["/etc/app"] == {"path": "/etc/app", "read_only": True, "volume": "cfg",
                                  "files": {"app.conf": "x=1\n"}}
    assert mounts["/cache"]["files"] == {} and not mounts["/cache"]["read_only"]
    token = mounts["/var/run/secrets/kubernetes.io/serviceaccount"]["files"]
    assert token["namespace"] == "default" and token["token"].count(".") == 2


def test_unknown_container_is_an_error_with_the_api_servers_words():
    with pytest.raises(ContextError, match="container nope is not valid for pod sample"):
        build_context(as_running(pod_manifest("sample", NGINX)), "nope", "172.18.0.3")


@pytest.mark.parametrize("container, expected", [
    ({"image": "nginx:1.16"}, ["nginx", "-g", "daemon off;"]),
    ({"image": "redis:3.2"}, ["docker-entrypoint.sh", "redis-server"]),
    ({"image": "redis:3.2", "args": ["--port", "7000"]},
     ["docker-entrypoint.sh", "--port", "7000"]),
    ({"image": "nginx:1.16", "command": ["/bin/sleep"], "args": ["3600"]}, ["/bin/sleep", "3600"]),
    ({"image": "busybox", "command": ["sh", "-c", "sleep 1"]}, ["sh", "-c", "sleep 1"]),
])
def test_effective_argv_follows_command_and_args_rules(container, expected):
    assert effective_argv(container, lookup_image(container["image"])) == expected
