"""Jobs and CronJobs through real kubectl: a job that runs `echo hi` completes and `kubectl logs
job/x` prints it, a failing one stops at its back-off limit, parallel completions, validation
wording, and CronJobs that create Jobs on the cluster's clock or by hand (`--from=cronjob`)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from tests.localcluster.sim_support import fast_cluster, new_namespace  # noqa: F401 (fixture)
from tests.localcluster.test_kubectl_api_kinds import jsonpath, table
from tests.support.clusters import start_cluster
from tests.support.waiting import wait_for


def job_json(running, namespace: str, name: str) -> dict:
    return json.loads(running.kubectl("-n", namespace, "get", "job", name, "-o", "json").stdout)


def events_of(running, namespace: str, name: str) -> list[tuple[str, str, str]]:
    listed = json.loads(running.kubectl("-n", namespace, "get", "events", "--field-selector",
                                        f"involvedObject.name={name}", "-o", "json").stdout)
    return [(e["reason"], e["message"], e["source"]["component"]) for e in listed["items"]]


def test_a_job_running_echo_hi_completes_and_its_log_says_hi(fast_cluster):
    namespace = new_namespace(fast_cluster)
    created = fast_cluster.kubectl("-n", namespace, "create", "job", "hi", "--image=busybox:1.36", "--", "echo", "hi")
    assert created.stdout == "job.batch/hi created\n"
    fast_cluster.kubectl("-n", namespace, "wait", "--for=condition=complete", "job/hi", "--timeout=60s")
    header, rows = table(fast_cluster.kubectl("-n", namespace, "get", "jobs").stdout)
    assert header == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert rows[0][:3] == ["hi", "Complete", "1/1"]
    assert fast_cluster.kubectl("-n", namespace, "logs", "job/hi").stdout == "hi\n"
    job = job_json(fast_cluster, namespace, "hi")
    uid = job["metadata"]["uid"]
    assert job["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert job["metadata"]["labels"] == {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "hi",
                                         "controller-uid": uid, "job-name": "hi"}
    status = job["status"]
    assert [c["type"] for c in status["conditions"]] == ["SuccessCriteriaMet", "Complete"]
    assert {c["reason"] for c in status["conditions"]} == {"CompletionsReached"}
    assert (status["succeeded"], status["ready"], status["terminating"], status["uncountedTerminatedPods"]) == (
        1, 0, 0, {})
    assert "active" not in status and status["completionTime"] >= status["startTime"]
    pods = json.loads(fast_cluster.kubectl("-n", namespace, "get", "pods", "-l", "job-name=hi", "-o", "json").stdout)
    [pod] = pods["items"]
    assert pod["status"]["phase"] == "Succeeded" and not pod["metadata"].get("finalizers")
    assert pod["metadata"]["ownerReferences"][0]["kind"] == "Job"
    reasons = [(reason, component) for reason, _, component in events_of(fast_cluster, namespace, "hi")]
    assert reasons == [("SuccessfulCreate", "job-controller"), ("Completed", "job-controller")]
    fast_cluster.kubectl("-n", namespace, "delete", "job", "hi")
    wait_for(lambda: not fast_cluster.kubectl("-n", namespace, "get", "pods", "-o", "name").stdout,
             message="the job's pod collected")


def test_a_failing_job_stops_at_its_backoff_limit(fast_cluster):
    namespace = new_namespace(fast_cluster)
    manifest = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "oops"},
                "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never", "containers": [
                    {"name": "main", "image": "busybox:1.36", "command": ["sh", "-c", "exit 3"]}]}}}}
    fast_cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(manifest))
    fast_cluster.kubectl("-n", namespace, "wait", "--for=condition=failed", "job/oops", "--timeout=60s")
    _, rows = table(fast_cluster.kubectl("-n", namespace, "get", "jobs").stdout)
    assert rows[0][:3] == ["oops", "Failed", "0/1"]
    status = job_json(fast_cluster, namespace, "oops")["status"]
    assert [(c["type"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
        ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")]
    assert status["failed"] == 1 and "completionTime" not in status
    assert ("BackoffLimitExceeded", "Job has reached the specified backoff limit", "job-controller") in events_of(
        fast_cluster, namespace, "oops")


def test_completions_run_at_most_parallelism_pods_at_a_time(fast_cluster):
    namespace = new_namespace(fast_cluster)
    manifest = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "three"},
                "spec": {"completions": 3, "parallelism": 2, "template": {"spec": {
                    "restartPolicy": "OnFailure",
                    "containers": [{"name": "main", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 60"]}]}}}}
    fast_cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps(manifest))
    wait_for(lambda: job_json(fast_cluster, namespace, "three")["status"].get("active") == 2, message="two active")
    assert len(fast_cluster.kubectl("-n", namespace, "get", "pods", "-o", "name").stdout.split()) == 2
    fast_cluster.kubectl("-n", namespace, "wait", "--for=condition=complete", "job/three", "--timeout=60s")
    _, rows = table(fast_cluster.kubectl("-n", namespace, "get", "jobs").stdout)
    assert rows[0][:3] == ["three", "Complete", "3/3"]
    assert len(fast_cluster.kubectl("-n", namespace, "get", "pods", "-o", "name").stdout.split()) == 3


@pytest.mark.parametrize("change, message", [
    (lambda spec: spec["template"]["spec"].pop("restartPolicy"),
     'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'),
    (lambda spec: spec.update(selector={"matchLabels": {"app": "x"}}),
     'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", '
     '"batch.kubernetes.io/controller-uid":"<uid>"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
     '`selector` not auto-generated'),
    (lambda spec: spec.update(completions=-1), "spec.completions: Invalid value: -1: must be greater than or equal to 0"),
], ids=["restart-policy", "selector", "completions"])
def test_job_validation_speaks_the_apiservers_words(fast_cluster, change, message):
    spec = {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}}}
    change(spec)
    refused = fast_cluster.kubectl("create", "-f", "-", "--dry-run=server", check=False, input=json.dumps(
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "bad"}, "spec": spec}))
    assert refused.returncode == 1
    stderr = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uid>", refused.stderr)
    assert stderr.startswith('The Job "bad" is invalid: ') and message in stderr, stderr


def test_a_cronjob_starts_jobs_on_schedule_and_by_hand(fast_cluster):
    namespace = new_namespace(fast_cluster)
    created = fast_cluster.kubectl("-n", namespace, "create", "cronjob", "tick", "--image=busybox:1.36",
                                   "--schedule=@every 1s", "--", "echo", "tick")
    assert created.stdout == "cronjob.batch/tick created\n"
    job = wait_for(lambda: fast_cluster.kubectl("-n", namespace, "get", "jobs", "-o", "name").stdout.split(),
                   message="a scheduled job")[0].split("/")[1]
    scheduled = job_json(fast_cluster, namespace, job)
    stamp = scheduled["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"]
    minute = int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()) // 60
    assert job == f"tick-{minute}"
    owner = scheduled["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"], owner["blockOwnerDeletion"]) == (
        "CronJob", "tick", True, True)
    fast_cluster.kubectl("-n", namespace, "wait", "--for=condition=complete", f"job/{job}", "--timeout=60s")
    # A job every second keeps ACTIVE and LAST SCHEDULE moving: suspended, the status settles.
    fast_cluster.kubectl("-n", namespace, "patch", "cronjob", "tick", "-p", '{"spec":{"suspend":true}}')

    def settled():
        status = json.loads(fast_cluster.kubectl("-n", namespace, "get", "cj", "tick", "-o", "json").stdout)["status"]
        return status if status.get("lastSuccessfulTime") and not status.get("active") else None

    status = wait_for(settled, message="the suspended cronjob's last run to end")
    scheduled_jobs = fast_cluster.kubectl("-n", namespace, "get", "jobs", "-o", "name").stdout.split()
    stamps = [job_json(fast_cluster, namespace, name.split("/")[1])["metadata"]["annotations"][
        "batch.kubernetes.io/cronjob-scheduled-timestamp"] for name in scheduled_jobs]
    assert status["lastScheduleTime"] == max(stamps) >= stamp  # older jobs may be gone (history limit)
    header, rows = table(fast_cluster.kubectl("-n", namespace, "get", "cronjobs").stdout)
    assert header == ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]
    assert rows[0][:5] == ["tick", "@every 1s", "<none>", "True", "0"]

    manual = fast_cluster.kubectl("-n", namespace, "create", "job", "by-hand", "--from=cronjob/tick")
    assert manual.stdout == "job.batch/by-hand created\n"
    fast_cluster.kubectl("-n", namespace, "wait", "--for=condition=complete", "job/by-hand", "--timeout=60s")
    by_hand = job_json(fast_cluster, namespace, "by-hand")
    assert by_hand["metadata"]["annotations"] == {"cronjob.kubernetes.io/instantiate": "manual"}
    assert fast_cluster.kubectl("-n", namespace, "logs", "job/by-hand").stdout == "tick\n"
    assert ("UnexpectedJob", "Saw a job that the controller did not create or forgot: by-hand",
            "cronjob-controller") in events_of(fast_cluster, namespace, "tick")


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def clocked(tmp_path_factory):
    clock = FakeClock(datetime(2026, 3, 1, 10, 1, 30, tzinfo=timezone.utc))
    with start_cluster(tmp_path_factory.mktemp("clocked"), clock=clock, kubelet=False) as running:
        yield running, clock


def test_a_five_field_schedule_follows_the_cluster_clock(clocked):
    running, clock = clocked
    namespace = new_namespace(running)
    running.kubectl("-n", namespace, "create", "cronjob", "five", "--image=busybox", "--schedule=*/5 * * * *",
                    "--", "date")
    assert running.kubectl("-n", namespace, "get", "jobs", "-o", "name").stdout == ""
    clock.now += timedelta(minutes=4)  # 10:05:30: the 10:05 run is due
    running.kubectl("-n", namespace, "annotate", "cronjob", "five", "poke=1")  # any change runs the controller
    due = datetime(2026, 3, 1, 10, 5, tzinfo=timezone.utc)
    wait_for(lambda: running.kubectl("-n", namespace, "get", "jobs", "-o", "name").stdout
             == f"job.batch/five-{int(due.timestamp()) // 60}\n", message="the 10:05 job")
    assert jsonpath(running, "-n", namespace, "cj", "five", "{.status.lastScheduleTime}") == "2026-03-01T10:05:00Z"
    assert jsonpath(running, "-n", namespace, "cj", "five", "{.status.active[0].kind}") == "Job"
    clock.now += timedelta(minutes=1)  # 10:06:30: nothing new is due
    running.kubectl("-n", namespace, "annotate", "cronjob", "five", "poke=2", "--overwrite")
    assert len(running.kubectl("-n", namespace, "get", "jobs", "-o", "name").stdout.split()) == 1


RICH_TEMPLATE = {"spec": {
    "restartPolicy": "OnFailure",
    "volumes": [
        {"name": "cfg", "configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.pem",
                                                                              "mode": 256}]}},
        {"name": "sec", "secret": {"secretName": "db", "optional": True}},
        {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi"}},
        {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
        {"name": "data", "persistentVolumeClaim": {"claimName": "data", "readOnly": True}}],
    "containers": [{
        "name": "dump", "image": "busybox:1.36", "command": ["sh", "-c", "ls /etc/cfg"],
        "ports": [{"name": "http", "containerPort": 8080}],
        "env": [{"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw", "optional": True}}},
                {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}}],
        "envFrom": [{"configMapRef": {"name": "kube-root-ca.crt"}, "prefix": "CA_"},
                    {"secretRef": {"name": "db", "optional": True}}],
        "volumeMounts": [{"name": "cfg", "mountPath": "/etc/cfg", "readOnly": True},
                         {"name": "scratch", "mountPath": "/tmp", "subPath": "x"}],
        "livenessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 5, "periodSeconds": 7},
        "readinessProbe": {"httpGet": {"path": "/h", "port": "http", "httpHeaders": [{"name": "X", "value": "yes"}]}},
        "startupProbe": {"tcpSocket": {"port": 8080}, "failureThreshold": 30}}]}}


def test_a_job_made_from_a_cronjob_keeps_its_whole_pod_template(fast_cluster):
    """`kubectl create job --from` sends the template as protobuf: volumes, env sources, mounts
    and probes must all arrive."""
    namespace = new_namespace(fast_cluster)
    fast_cluster.kubectl("-n", namespace, "apply", "-f", "-", input=json.dumps({
        "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "backup"},
        "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": RICH_TEMPLATE}}}}))
    fast_cluster.kubectl("-n", namespace, "create", "job", "now", "--from=cronjob/backup")
    cronjob = json.loads(fast_cluster.kubectl("-n", namespace, "get", "cj", "backup", "-o", "json").stdout)
    job = job_json(fast_cluster, namespace, "now")
    assert job["spec"]["template"]["spec"] == cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]
