"""The knobs of a local cluster: port, watch windows, workloads, faults, node simulation, exec.

Key decision: one flat dataclass with a default for every knob, so a caller names only what it
changes (`ClusterOptions(kubelet=False)`), and the pieces that plug into the cluster (addons.py,
simulation.py, exec) read the knobs they own from it; nothing here knows those pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubetui.localcluster.apimachinery.clock import Clock


@dataclass
class ClusterOptions:
    port: int = 0                      # 0: any free port
    watch_window: int = 10_000         # changes kept per resource type for watch resume
    watch_retention: float = 300.0     # ... for at most this long (etcd's compaction interval)
    bookmark_interval: float = 10.0    # seconds without a BOOKMARK before one is sent
    watch_max_seconds: float = 1800.0  # server-side cap on a watch without timeoutSeconds
    start_timeout: float = 30.0
    clock: Clock | None = None         # simulated time; None: the wall clock
    # Workloads and benchmark knobs (addons.py): controllers, synthetic pods, faults.
    controllers: bool = True           # ReplicaSet/Deployment controllers, GC, scale subresource
    pods: int = 0                      # synthetic pods spread over team-NN namespaces
    deployments: int = 0               # synthetic Deployments owning those pods through ...
    replicasets: int = 0               # ... ReplicaSets (extra ones: old revisions scaled to 0)
    churn: float = 0.0                 # synthetic pod status changes per second
    random_seed: int = 0               # makes synthetic pods, churn and injected errors repeatable
    # Faults at start (faults.FaultSettings; switchable at run time: POST /debug/faults).
    drop_watches_every: float = 0.0    # close every open watch each N s
    watch_410: bool = False            # answer watches with an ERROR 410 Expired event
    error_rate: float = 0.0            # fail this fraction of API requests ...
    error_codes: tuple[int, ...] = (500, 503, 429)  # ... with one of these codes
    latency_ms: int = 0                # added to every API request
    stall_watch_seconds: float = 0.0   # a new watch gets no bytes at all for N s
    # Node simulation (simulation.py): nodes, scheduler, kubelets, events, pods/log, samples.
    kubelet: bool = True               # run the scheduler and the kubelets of kubetui-node-1/2
    time_scale: float = 1.0            # simulated time (back-offs, sleeps, pulls) runs F times faster
    seed: bool = False                 # apply kubetui/samples/*.yaml to default, kube-system pods
    log_rate: float = 200.0            # lines/s of a container loop that prints without sleeping
    heartbeat_interval: float = 10.0   # wall seconds between node lease renewals (the kubelet's 10 s)
    # Exec (exec_ws.py): pods/exec runs the simulated shell. host_exec runs the requested argv for
    # real on the host instead (scratch dir per container): opt-in only, never for `kubetui demo`.
    host_exec: bool = False
    exec_cpu_seconds: float = 60.0     # CPU time one simulated exec command may use (sandbox/bounds.py)
