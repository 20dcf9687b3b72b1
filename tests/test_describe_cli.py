"""`kubetui describe` against the venv's `kubectl describe` on the same local cluster.

The cluster of this module runs its scheduler, kubelets and controllers and is seeded with the
study notes' samples (kubetui/samples, as `kubetui cluster --seed` seeds them), plus a
namespace of richer objects (every container, volume and service feature the samples lack, and
a deployment rolled out twice). Both commands run for each case; their stdout, stderr and
exit codes must match once ages are normalised, and only ages: `normalised` rewrites the Age
column of the events and node pod tables (realigning those rows, since an age's width moves
the columns) and `Terminating (lasts ...)`, nothing else. Live pods change under the two
commands (restarts, repeated events), so a case is run again until both sides saw the same
state, within a deadline.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kubetui.localcluster.cluster.seeding import NEVER_SEEDED, sample_documents, sample_files
from tests.support.clusters import KUBECTL, start_cluster
from tests.support.waiting import wait_for

KUBETUI = [sys.executable, "-m", "kubetui"]
ROOT = Path(__file__).resolve().parent.parent

RICH = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: rich-config
  labels: {app: rich}
  annotations:
    note: short
    long-note: "%s"
    multi: |
      line one
      line two
data:
  b.conf: "x=1"
  a.txt: |
    hello
    world
binaryData:
  blob: aGVsbG8gd29ybGQ=
---
apiVersion: v1
kind: Pod
metadata:
  name: rich-pod
  labels: {app: rich, version: "2"}
  annotations: {team: core}
spec:
  tolerations:
  - {key: zeta, operator: Exists}
  - {key: alpha, operator: Equal, value: "1", effect: NoSchedule}
  - {key: gpu, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
  topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: rich}}}
  readinessGates:
  - conditionType: example.com/ready
  initContainers:
  - name: init-setup
    image: busybox:1.36
    command: [sh, -c, "echo setup"]
    resources: {requests: {cpu: 50m, memory: 32Mi}}
  - name: sidecar
    image: busybox:1.36
    restartPolicy: Always
    command: [sh, -c, "sleep 3600"]
    resources: {requests: {cpu: "0.1"}, limits: {memory: 64Mi}}
  containers:
  - name: app
    image: nginx:1.16
    ports:
    - {containerPort: 80, name: http}
    - {containerPort: 443, protocol: TCP, hostPort: 8443}
    args: ["--flag", "multi\\nline"]
    env:
    - {name: PLAIN, value: "hello"}
    - {name: MULTI, value: "a\\nb"}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: CPU_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
    - {name: MEM_REQ, valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1Mi}}}
    - {name: SECRET, valueFrom: {secretKeyRef: {name: s, key: k, optional: true}}}
    - {name: CM, valueFrom: {configMapKeyRef: {name: rich-config, key: b.conf}}}
    envFrom:
    - configMapRef: {name: rich-config}
    - {secretRef: {name: s, optional: true}, prefix: S_}
    resources:
      limits: {cpu: "1", memory: 1Gi}
      requests: {cpu: 250m, memory: 1024Mi}
    livenessProbe: {httpGet: {path: /healthz, port: 8080, scheme: HTTPS}, initialDelaySeconds: 3}
    readinessProbe: {exec: {command: [cat, /tmp/ready]}}
    startupProbe: {tcpSocket: {port: http}}
    volumeMounts:
    - {name: data, mountPath: /var/data}
    - {name: cfg, mountPath: /etc/cfg, readOnly: true, subPath: conf}
    - {name: tmp, mountPath: /tmp}
  volumes:
  - {name: data, emptyDir: {sizeLimit: 1Gi, medium: Memory}}
  - {name: tmp, emptyDir: {}}
  - {name: cfg, configMap: {name: rich-config}}
  - {name: sec, secret: {secretName: s, optional: true}}
  - {name: host, hostPath: {path: /var/log, type: Directory}}
  - {name: claim, persistentVolumeClaim: {claimName: data-claim}}
  - {name: dapi, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
  - name: proj
    projected:
      sources:
      - serviceAccountToken: {path: token, expirationSeconds: 3607}
      - configMap: {name: kube-root-ca.crt}
      - downwardAPI: {items: [{path: namespace, fieldRef: {fieldPath: metadata.namespace}}]}
---
apiVersion: v1
kind: Service
metadata:
  name: rich-svc
  labels: {app: rich}
spec:
  type: NodePort
  selector: {app: rich, version: "2"}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: https, port: 443, targetPort: 8443, nodePort: 30443}
  sessionAffinity: ClientIP
  externalIPs: [1.2.3.4]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: rich-deploy
  labels: {app: rich-deploy}
spec:
  replicas: 2
  selector:
    matchLabels: {app: rich-deploy}
    matchExpressions:
    - {key: tier, operator: In, values: [web, api]}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata:
      labels: {app: rich-deploy, tier: web}
      annotations: {prometheus.io/scrape: "true"}
    spec:
      containers:
      - {name: web, image: nginx:1.16, ports: [{containerPort: 80}]}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: rich-job
spec:
  completions: 2
  parallelism: 2
  backoffLimit: 2
  ttlSecondsAfterFinished: 3600
  activeDeadlineSeconds: 600
  template:
    metadata: {labels: {tier: batch}}
    spec:
      restartPolicy: Never
      containers:
      - {name: hello, image: busybox:1.36, command: [sh, -c, "echo hello"]}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: rich-cron
  labels: {app: rich-cron}
spec:
  schedule: "*/10 * * * *"
  timeZone: Europe/Paris
  startingDeadlineSeconds: 120
  concurrencyPolicy: Forbid
  jobTemplate:
    metadata: {labels: {from: cron}}
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - {name: tick, image: busybox:1.36, command: [date]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: rich-sa}
imagePullSecrets: [{name: regcred}, {name: other}]
---
apiVersion: v1
kind: Secret
metadata: {name: rich-secret}
stringData: {password: hunter2, user: admin}
""" % ("a" * 160)


class Side:
    def __init__(self, argv: list[str], kubeconfig: Path, env: dict[str, str]) -> None:
        self.argv, self.kubeconfig, self.env = argv, kubeconfig, env

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([*self.argv, "--kubeconfig", str(self.kubeconfig), *args], capture_output=True,
                              text=True, env={**self.env, **(env or {})}, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("describe")
    with start_cluster(tmp, seed=True, time_scale=2.0) as running:
        kubeconfig = running.kubeconfig
        env = {**os.environ, "KUBECACHEDIR": str(running.cache_dir), "XDG_CACHE_HOME": str(tmp / "kubetui-cache"),
               "PYTHONPATH": str(ROOT), "TZ": "UTC"}
        kubectl = Side([KUBECTL], kubeconfig, env)
        assert kubectl.run("create", "namespace", "rich").returncode == 0
        applied = subprocess.run([KUBECTL, "--kubeconfig", str(kubeconfig), "-n", "rich", "apply", "-f", "-"],
                                 input=RICH, capture_output=True, text=True, env=env, timeout=60)
        assert applied.returncode == 0, applied.stderr
        wait_for(lambda: _json_path(kubectl, "-n", "rich", "deploy", "rich-deploy",
                                    "{.status.availableReplicas}") == "2", timeout=60, message="rich-deploy available")
        patched = kubectl.run("-n", "rich", "set", "image", "deploy/rich-deploy", "web=nginx:1.17")
        assert patched.returncode == 0, patched.stderr
        wait_for(lambda: _json_path(kubectl, "-n", "rich", "deploy", "rich-deploy", "{.status.updatedReplicas}/"
                                    "{.status.availableReplicas}") == "2/2", timeout=60, message="rollout done")
        wait_for(lambda: _json_path(kubectl, "-n", "rich", "job", "rich-job", "{.status.succeeded}") == "2",
                 timeout=60, message="rich-job complete")
        by_hand = kubectl.run("-n", "rich", "create", "job", "rich-by-hand", "--from=cronjob/rich-cron")
        assert by_hand.returncode == 0, by_hand.stderr
        wait_for(lambda: _crashed_and_backing_off(kubectl), timeout=90, message="sample-port-clash crash looping")
        yield kubectl, Side(KUBETUI, kubeconfig, env)


def _json_path(side: Side, *args: str) -> str:
    *rest, path = args
    return side.run("get", *rest, "-o", f"jsonpath={path}").stdout


def _crashed_and_backing_off(kubectl: Side) -> bool:
    terminated = _json_path(kubectl, "pod", "sample-port-clash",
                            "{.status.containerStatuses[*].lastState.terminated.reason}")
    events = kubectl.run("get", "events", "--field-selector", "involvedObject.name=sample-port-clash,reason=BackOff",
                         "-o", "name").stdout
    return "Error" in terminated and bool(events.strip())


# ------------------------------------------------------------------------------ normaliser
AGE = r"(?:<invalid>|<unknown>|(?:\d+[smhdy])+)"
_TABLE_HEADERS = (re.compile(r"^  Type +Reason +Age +From +Message$"),
                  re.compile(r"^  Namespace +Name +CPU Requests +CPU Limits +Memory Requests +Memory Limits +Age$"))


def normalised(text: str) -> list[str]:
    """The lines of a description with every age replaced by `<age>`: in the Age column of the
    events and node pod tables (their rows are re-joined cell by cell, as the column widths
    follow the ages) and in `Terminating (lasts AGE)`."""
    out: list[str] = []
    columns: list[int] | None = None
    age_column = -1
    for line in text.split("\n"):
        if any(header.match(line) for header in _TABLE_HEADERS):
            columns = [match.start() for match in re.finditer(r"\S+(?: \S+)*", line)]
            names = [match.group() for match in re.finditer(r"\S+(?: \S+)*", line)]
            age_column = names.index("Age")
            out.append(" | ".join(names))
            continue
        if columns is not None and line.startswith("  "):
            cells = [line[start:end].strip() for start, end in zip(columns, columns[1:] + [len(line)])]
            if re.fullmatch(rf"{AGE}(?: \(x\d+ over {AGE}\))?|-+", cells[age_column]):
                cells[age_column] = "<age>"
            out.append(" | ".join(cells))
            continue
        columns = None
        out.append(re.sub(rf"Terminating \(lasts {AGE}\)", "Terminating (lasts <age>)", line))
    return out


def same(sides, *args: str, env: dict[str, str] | None = None, timeout: float = 60,
         until=None) -> subprocess.CompletedProcess:
    """Run both sides until they agree (ages aside), and until `until(kubetui's stdout)` if given;
    fail with the diff of the last attempt."""
    kubectl, kubetui = sides
    attempt: dict = {}

    def agree() -> bool:
        attempt["k"], attempt["t"] = kubectl.run("describe", *args, env=env), kubetui.run("describe", *args, env=env)
        k, t = attempt["k"], attempt["t"]
        return (normalised(k.stdout) == normalised(t.stdout) and k.stderr == t.stderr
                and k.returncode == t.returncode and (until is None or bool(until(t.stdout))))

    try:
        wait_for(agree, timeout=timeout, interval=0.2, message=f"describe {' '.join(args)}")
    except AssertionError:
        k, t = attempt["k"], attempt["t"]
        diff = "\n".join(difflib.unified_diff(k.stdout.splitlines(), t.stdout.splitlines(), "kubectl", "kubetui",
                                              lineterm=""))
        raise AssertionError(f"describe {' '.join(args)} differs:\n{diff}\nkubectl stderr ({k.returncode}): "
                             f"{k.stderr}\nkubetui stderr ({t.returncode}): {t.stderr}") from None
    return attempt["t"]


# ------------------------------------------------------------------------------ the cases
def _sample_objects() -> list[tuple[str, str]]:
    found = []
    for name, text in sample_files().items():
        if name in NEVER_SEEDED:
            continue
        for document in sample_documents(text):
            found.append((document["kind"], document["metadata"]["name"]))
    return found


SAMPLES = _sample_objects()


def test_the_samples_are_all_here():
    kinds = {kind for kind, _ in SAMPLES}
    assert {"Pod", "ReplicaSet", "Deployment", "ConfigMap"} <= kinds
    assert len(SAMPLES) >= 15


@pytest.mark.parametrize("kind, name", SAMPLES, ids=[f"{k.lower()}-{n}" for k, n in SAMPLES])
def test_every_sample_is_described_as_kubectl_describes_it(seeded, kind, name):
    result = same(seeded, kind.lower(), name)
    assert result.returncode == 0 and result.stdout.startswith("Name:")


CRASHED = re.compile(r"\n    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n")


def test_the_port_clash_pod_shows_its_crash_and_back_off(seeded):
    # The local kubelet briefly reports the last state's reason as CrashLoopBackOff while it
    # restarts the container: wait for a moment when it says Error, as a real kubelet does.
    text = same(seeded, "pod", "sample-port-clash", until=CRASHED.search, timeout=90).stdout
    assert CRASHED.search(text), text
    assert re.search(r"\n  Warning  BackOff +\S.* +kubelet +spec.containers\{nginx-container-2\}: Back-off restarting "
                     r"failed container nginx-container-2 in pod sample-port-clash_default", text)


@pytest.mark.parametrize("args", [
    ("pods", "-l", "app=sample-replicaset"),           # the pods of the sample replica set, no events
    ("rs", "-n", "kube-system"),                      # coredns' replica set: Controlled By a Deployment
    ("deploy", "-n", "kube-system", "coredns"),
    ("node", "kubetui-node-1"),                        # conditions, capacity, pods on it, lease, events
    ("node", "kubetui-node-2"),
    ("namespace", "default"),
    ("ns", "kube-system"),
    ("service", "-n", "kube-system", "kube-dns"),
    ("svc", "kubernetes"),
    ("lease", "-n", "kube-node-lease", "kubetui-node-2"),  # the generic describer, renewTime moving
    ("pod", "-n", "kube-system", "kube-apiserver-kubetui-node-1"),  # a mirror pod: Controlled By its Node
    ("pods", "-n", "kube-system", "coredns"),          # a name prefix: every coredns pod, no events
], ids=lambda args: "-".join(args))
def test_other_kinds_and_namespaces(seeded, args):
    same(seeded, *args)


@pytest.mark.parametrize("args", [
    ("pod", "rich-pod"), ("cm", "rich-config"), ("svc", "rich-svc"), ("deploy", "rich-deploy"), ("rs",),
    ("pods", "-l", "app=rich-deploy", "--show-events=true"),
    ("pods", "-l", "app=rich"),                        # one object listed: its events are shown
    ("pods,svc", "-l", "app=rich"),                    # two: they are not
], ids=lambda args: "-".join(args))
def test_rich_objects(seeded, args):
    same(seeded, "-n", "rich", *args)


@pytest.mark.parametrize("args", [
    ("job", "rich-job"), ("job", "rich-by-hand"), ("cronjob", "rich-cron"), ("sa", "rich-sa"), ("sa", "default"),
    ("secret", "rich-secret"), ("endpoints", "rich-svc"), ("endpointslices", "-l", "kubernetes.io/service-name=rich-svc"),
], ids=lambda args: "-".join(args))
def test_the_batch_and_service_parts_kinds(seeded, args):
    same(seeded, "-n", "rich", *args)


def test_node_and_service_descriptions_show_the_lease_and_the_endpoints(seeded):
    node = same(seeded, "node", "kubetui-node-1").stdout
    assert "\nLease:\n  HolderIdentity:  kubetui-node-1\n  AcquireTime:     <unset>\n  RenewTime: " in node
    dns = same(seeded, "svc", "-n", "kube-system", "kube-dns").stdout
    assert re.search(r"\nEndpoints: +10\.244\.\d+\.\d+:53,10\.244\.\d+\.\d+:53\n", dns), dns
    api = same(seeded, "svc", "kubernetes").stdout
    assert "\nEndpoints:                172.18.0.2:6443\n" in api


def test_an_event_goes_through_the_generic_describer(seeded):
    kubectl, _ = seeded
    name = kubectl.run("get", "events", "-n", "kube-system", "-o", "name").stdout.split()[0]
    text = same(seeded, "-n", "kube-system", name).stdout
    assert "\nInvolved Object:\n" in text and "\nAPI Version:" in text


def test_timestamps_follow_the_local_time_zone(seeded):
    text = same(seeded, "deploy", "sample-deployment", env={"TZ": "Asia/Kolkata"}).stdout
    assert re.search(r"^CreationTimestamp: +\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0530$", text, re.M)


@pytest.mark.parametrize("args", [
    ("pod", "nope"), ("pod", "nope", "other"), ("pod/sample-pod", "pod/nope"), ("pod/nope",),
    ("pod", "sample-pod", "nope", "sample-command"), ("pod", "sample-pod", "nope"),
    ("pod", "-n", "no-such-namespace", "x"),
    ("pods", "-n", "rich", "-l", "app=nothing"), ("widgets", "x"), ("node", "nope"), (),
], ids=lambda args: "-".join(args) or "no-args")
def test_errors_are_kubectls(seeded, args):
    result = same(seeded, *args)
    if args not in (("pods", "-n", "rich", "-l", "app=nothing"),):
        assert result.returncode == 1 and result.stderr


def test_a_pod_with_many_events_of_the_same_second(seeded):
    """More than twelve events with equal times: kubectl's unstable sort decides their order."""
    kubectl, _ = seeded
    assert kubectl.run("create", "namespace", "busy").returncode == 0
    created = kubectl.run("-n", "busy", "run", "busy", "--image=nginx:1.16")
    assert created.returncode == 0, created.stderr
    uid = _json_path(kubectl, "-n", "busy", "pod", "busy", "{.metadata.uid}")
    at = "2026-01-01T00:00:00Z"
    events = [{"apiVersion": "v1", "kind": "Event", "metadata": {"name": f"busy.{index:03d}"},
               "involvedObject": {"kind": "Pod", "name": "busy", "namespace": "busy", "uid": uid},
               "reason": ("Pulled", "Created", "Started")[index % 3], "message": f"event {index}",
               "type": "Normal", "count": 1 + index % 2, "firstTimestamp": at,
               "lastTimestamp": at if index % 4 else "2026-01-01T00:00:01Z", "source": {"component": "test"}}
              for index in range(40)]
    listing = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": events})
    made = subprocess.run([KUBECTL, "--kubeconfig", str(kubectl.kubeconfig), "-n", "busy", "create", "--validate=false", "-f", "-"],
                          input=listing, capture_output=True, text=True, env=kubectl.env, timeout=60)
    assert made.returncode == 0, made.stderr
    text = same(seeded, "-n", "busy", "pod", "busy").stdout
    assert text.count("event ") == 40


def test_the_normaliser_forgives_ages_and_their_widths_but_nothing_else():
    kubectl = ("Status:       Terminating (lasts 5s)\nEvents:\n  Type    Reason   Age   From     Message\n"
               "  ----    ------   ----  ----     -------\n  Normal  Pulled   9s    kubelet  pulled x\n")
    kubetui = ("Status:       Terminating (lasts 3m2s)\nEvents:\n  Type    Reason   Age                From     Message\n"
               "  ----    ------   ----               ----     -------\n"
               "  Normal  Pulled   10s (x2 over 1m)   kubelet  pulled x\n")
    assert normalised(kubectl) == normalised(kubetui)
    assert normalised(kubectl) != normalised(kubectl.replace("pulled x", "pulled y"))
    assert normalised(kubectl) != normalised(kubectl.replace("Status:       ", "Status:      "))
    assert normalised("Started:      Wed, 02 Dec 2026 06:21:19 +0000") != normalised(
        "Started:      Wed, 02 Dec 2026 06:21:20 +0000")
