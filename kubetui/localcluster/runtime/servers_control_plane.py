"""The control-plane programs of a kind node's images (coredns, etcd, kube-apiserver,
kube-controller-manager, kube-scheduler, kube-proxy): their start-up lines and ports.

Key decision: only the first few klog lines each program prints and the ports it binds, which
is what `kubectl logs` and a port clash show; the programs do nothing else here.
"""

from __future__ import annotations

from typing import Callable

from kubetui.localcluster.runtime.server_context import ServerContext, log_lines
from kubetui.localcluster.sandbox.run_plan import STDERR, LogLine, RunPlan, Stop


def _coredns(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    lines = log_lines(0.1, [".:53", "[INFO] plugin/reload: Running configuration SHA512 = "
                         "591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37"
                         "f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
                         "CoreDNS-1.12.0", "linux/amd64, go1.23.3, 51e11f1"])
    stop = log_lines(0.0, ["[INFO] SIGTERM: Shutting down servers then terminating",
                        "[INFO] plugin/health: Going into lameduck mode for 5s"])
    return RunPlan(lines=lines, ports=(53, 8080, 8181, 9153), stop=Stop(5.0, 0, stop))


def _klog(component: str, ports: tuple[int, ...], messages: list[str]) -> Callable:
    def plan(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
        stamp = "I{t:%m%d %H:%M:%S}.{us}       1 "
        lines = tuple(LogLine(0.1 + index * 0.05, f"{stamp}{text}", STDERR, True)
                      for index, text in enumerate(messages))
        taken = [port for port in ports if port in ctx.ports_in_use]
        if taken:
            failure = LogLine(0.3, f'E{{t:%m%d %H:%M:%S}}.{{us}}       1 run.go:72] "command '
                                   f'failed" err="failed to listen on 0.0.0.0:{taken[0]}: listen '
                                   f'tcp 0.0.0.0:{taken[0]}: bind: address already in use"',
                              STDERR, True)
            return RunPlan(lines=lines[:1] + (failure,), exit_after=0.3, exit_code=1)
        return RunPlan(lines=lines, ports=ports, stop=Stop(0.2, 0))
    del component
    return plan


def _etcd(ctx: ServerContext, via_entrypoint: bool) -> RunPlan:
    stamp = '{{"level":"info","ts":"{t:%Y-%m-%dT%H:%M:%S}.{us}Z",'
    texts = ['"caller":"embed/etcd.go:140","msg":"configuring peer listeners"}',
             '"caller":"embed/etcd.go:148","msg":"configuring client listeners"}',
             '"caller":"etcdserver/server.go:2066","msg":"published local member to cluster '
             'through raft"}',
             '"caller":"embed/serve.go:250","msg":"serving client traffic securely",'
             '"traffic":"grpc+http","address":"127.0.0.1:2379"}']
    lines = tuple(LogLine(0.1 + i * 0.1, stamp + text.replace("{", "{{").replace("}", "}}"),
                          STDERR, True) for i, text in enumerate(texts))
    return RunPlan(lines=lines, ports=(2379, 2380, 2381), stop=Stop(0.2, 0))


CONTROL_PLANE_SERVERS = {
    "coredns": _coredns,
    "etcd": _etcd,
    "kube-apiserver": _klog("kube-apiserver", (6443,), [
        'options.go:249] "external host was not specified, using 172.18.0.2"',
        'server.go:159] "Version" version="v1.37.0"',
        'secure_serving.go:213] Serving securely on [::]:6443']),
    "kube-controller-manager": _klog("kube-controller-manager", (10257,), [
        'serving.go:386] Generated self-signed cert in-memory',
        'controllermanager.go:208] "Starting" version="v1.37.0"',
        'leaderelection.go:257] attempting to acquire leader lease kube-system/kube-controller-manager...']),
    "kube-scheduler": _klog("kube-scheduler", (10259,), [
        'serving.go:386] Generated self-signed cert in-memory',
        'server.go:167] "Starting Kubernetes Scheduler" version="v1.37.0"',
        'leaderelection.go:257] attempting to acquire leader lease kube-system/kube-scheduler...']),
    "kube-proxy": _klog("kube-proxy", (10249, 10256), [
        'server_linux.go:66] "Using iptables proxy"',
        'server.go:698] "Successfully retrieved node IP(s)" IPs=["172.18.0.2"]',
        'server.go:250] "kube-proxy running in dual-stack mode" primary ipFamily="IPv4"',
        'config.go:199] "Starting service config controller"']),
}
