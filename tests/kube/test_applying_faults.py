"""Applying through the server's fault knobs: transient answers are retried in both passes, an
object failing after the dry run passed gets what the run wrote rolled back (to the very
objects read during the dry run, managedFields included), and whatever cannot be rolled back
is named. Also: the one-pass mode sends one request per object and still tells created,
configured and unchanged apart. Every check reads the cluster back over plain HTTPS."""

from __future__ import annotations

import threading

import pytest

from kubetui.kube.apply_retry import RetryPolicy, transient
from kubetui.kube.applying import Applier
from kubetui.kube.transport import ApiError
from kubetui.localcluster.cluster.faults import get_faults, set_faults
from kubetui.model import parse_manifests
from tests.apply_faults import faults  # noqa: F401
from tests.support.waiting import wait_for

FAST = RetryPolicy(attempts=4, first_delay=0.05, max_delay=0.2)
UNAVAILABLE = "Error from server (ServiceUnavailable): the server is currently unable to handle the request"


@pytest.fixture
def applier(api_client, namespace, tmp_path):
    return Applier(api_client, namespace, cache_file=tmp_path / "discovery.json", retry=FAST)


def configmap(name, value="1", extra=""):
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{extra}data:\n  key: \"{value}\"\n"


def manifests(*texts):
    parsed = parse_manifests("---\n".join(texts), "set.yaml")
    assert parsed.ok, [p.text() for p in parsed.problems]
    return parsed.manifests


def stored(raw, namespace):
    """Every ConfigMap of the namespace by name, as the server holds it."""
    items = raw.json("GET", f"/api/v1/namespaces/{namespace}/configmaps", expect=200)["items"]
    return {item["metadata"]["name"]: item for item in items}


def as_before(item):
    """What a rollback must give back: everything but the resourceVersion it had to move on."""
    meta = {k: v for k, v in item["metadata"].items() if k != "resourceVersion"}
    return {**item, "metadata": meta}


@pytest.mark.parametrize("aimed_at", ["dry_runs", "writes"])
def test_transient_answers_are_retried_in_either_pass(applier, raw, namespace, faults, aimed_at):
    applier.apply(manifests(configmap("existing")))
    texts = [configmap(f"cm-{i}") for i in range(6)] + [configmap("existing", "2")]
    before = faults.injected()
    faults(error_requests=aimed_at, error_codes=[503, 429, 500, 502, 504], retry_after=1, error_limit=3)
    report = applier.apply(manifests(*texts))
    assert [o.line() for o in report.outcomes] == [f"configmap/cm-{i} created" for i in range(6)] + [
        "configmap/existing configured"]
    assert faults.injected() - before == 3, "the knob failed three requests"
    if aimed_at == "writes":
        assert sum(o.attempts - 1 for o in report.outcomes) == 3
    assert sorted(stored(raw, namespace)) == ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-5", "existing"]
    assert stored(raw, namespace)["existing"]["data"] == {"key": "2"}


def test_a_reset_connection_is_retried(applier, raw, namespace, faults):
    before = faults.injected()
    faults(error_codes=[0], error_limit=2)
    report = applier.apply(manifests(configmap("a"), configmap("b")))
    assert [o.line() for o in report.outcomes] == ["configmap/a created", "configmap/b created"]
    assert faults.injected() - before == 2
    assert sorted(stored(raw, namespace)) == ["a", "b"]


@pytest.mark.parametrize("others", [0, 30], ids=["read-one-by-one", "read-by-list"])
def test_a_write_failing_after_the_dry_run_is_rolled_back(applier, raw, namespace, faults, others):
    unchanged = [configmap(f"other-{i}") for i in range(others)]  # enough of them, and the dry run lists
    applier.apply(manifests(configmap("kept"), configmap("same"), configmap("labelled", extra="  labels: {a: b}\n"),
                            *unchanged))
    before = {name: as_before(item) for name, item in stored(raw, namespace).items()}
    generated = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: gen-\ndata:\n  k: v\n"
    texts = [configmap("kept", "2"), configmap("same"), configmap("labelled", "1", "  labels: {a: c}\n"),
             configmap("new-0"), configmap("new-1"), generated, *unchanged, configmap("doomed")]
    faults("^PATCH /api/v1/namespaces/{ns}/configmaps/doomed$", error_requests="writes")
    report = applier.apply(manifests(*texts))

    failed = report.failed
    assert [o.ref for o in failed] == ["configmap/doomed"]
    assert failed[0].line() == ('Error from server (ServiceUnavailable): error when applying "set.yaml": the server '
                                f"is currently unable to handle the request (after {FAST.attempts} attempts)")
    lines = {o.ref: o.line() for o in report.outcomes}
    assert lines["configmap/same"] == "configmap/same unchanged"
    for ref in ("configmap/kept", "configmap/labelled"):
        assert lines[ref] in (f"{ref} configured, then rolled back (restored)", f"{ref} not applied")
    for ref in ("configmap/new-0", "configmap/new-1"):
        assert lines[ref] in (f"{ref} created, then rolled back (deleted)", f"{ref} not applied")
    assert report.rolled_back and not report.not_rolled_back
    assert "nothing was applied" not in report.summary() and "rolled back" in report.summary()

    after = {name: as_before(item) for name, item in stored(raw, namespace).items()}
    assert after == before, "the cluster holds exactly what it held before the run"


def test_a_forced_takeover_is_rolled_back_to_the_previous_owners(applier, raw, namespace, faults, kubectl, tmp_path):
    path = tmp_path / "taken.yaml"
    path.write_text(configmap("taken"))
    assert kubectl("apply", "--server-side", "-n", namespace, "-f", str(path)).returncode == 0
    before = as_before(stored(raw, namespace)["taken"])
    assert [e["manager"] for e in before["metadata"]["managedFields"]] == ["kubectl"]

    faults("^PATCH /api/v1/namespaces/{ns}/configmaps/doomed$", error_requests="writes")
    report = applier.apply(manifests(configmap("taken", "2"), configmap("doomed")), force=True)
    assert report.outcomes[0].line() == "configmap/taken configured, then rolled back (restored)"
    assert as_before(stored(raw, namespace)["taken"]) == before, "kubectl owns data.key again, value 1"


def test_a_status_written_meanwhile_does_not_stop_the_restore(api_client, raw, namespace, faults, tmp_path):
    # Slow retries keep the failing object busy for seconds: room for a "controller" to write
    # the pod's status after our apply landed and before the rollback restores the pod.
    applier = Applier(api_client, namespace, cache_file=tmp_path / "d.json",
                      retry=RetryPolicy(attempts=6, first_delay=0.5, max_delay=1.0))
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: nginx\n"
           "    image: nginx:{}\n")
    applier.apply(manifests(pod.format("1.16")))
    path = f"/api/v1/namespaces/{namespace}/pods/web"
    before = raw.json("GET", path, expect=200)
    events, problems = [], []

    def controller() -> None:
        try:
            live = wait_for(lambda: (p := raw.json("GET", path))["spec"]["containers"][0]["image"] == "nginx:1.17" and p,
                            message="our apply to land")
            live["status"]["message"] = "written by a controller"
            raw.json("PUT", path + "/status", live, expect=200)
            events.append("status written")
        except Exception as exc:  # reported below, on the test's thread
            problems.append(exc)

    faults("^PATCH /api/v1/namespaces/{ns}/configmaps/doomed$", error_requests="writes")
    writer = threading.Thread(target=controller)
    writer.start()
    report = applier.apply(manifests(pod.format("1.17"), configmap("doomed")))
    events.append("apply returned")
    writer.join()
    assert not problems and events == ["status written", "apply returned"]
    assert report.outcomes[0].line() == "pod/web configured, then rolled back (restored)"
    live = raw.json("GET", path, expect=200)
    assert live["spec"] == before["spec"], "the image is nginx:1.16 again"
    assert live["status"]["message"] == "written by a controller", "the controller's status stays"
    main = [e for e in live["metadata"]["managedFields"] if not e.get("subresource")]
    assert main == before["metadata"]["managedFields"], "kubetui's apply owns what it owned before"


def test_what_cannot_be_rolled_back_is_named(applier, raw, namespace, faults):
    applier.apply(manifests(configmap("pinned")))
    faults("^(PATCH /api/v1/namespaces/{ns}/configmaps/doomed|DELETE /api/v1/namespaces/{ns}/configmaps/stuck"
           "|PUT /api/v1/namespaces/{ns}/configmaps/pinned)$", error_requests="writes")
    report = applier.apply(manifests(configmap("stuck"), configmap("pinned", "2"), configmap("fine"),
                                     configmap("doomed")))
    assert [o.line() for o in report.outcomes[:3]] == [
        "configmap/stuck created", "configmap/pinned configured", "configmap/fine created, then rolled back (deleted)"]
    assert [o.rollback_line() for o in report.not_rolled_back] == [
        f"error: configmap/stuck could not be rolled back (it stays created): {UNAVAILABLE} "
        f"(after {FAST.attempts} attempts)",
        f"error: configmap/pinned could not be rolled back (it stays configured): {UNAVAILABLE} "
        f"(after {FAST.attempts} attempts)"]
    summary = report.summary()
    assert summary.endswith("2 could not be rolled back and stay as this run left them: configmap/stuck, "
                            "configmap/pinned")
    assert "nothing was applied" not in summary
    live = stored(raw, namespace)
    assert sorted(live) == ["pinned", "stuck"] and live["pinned"]["data"] == {"key": "2"}


def test_nothing_was_applied_is_said_only_when_true(applier, raw, namespace, faults):
    faults("^PATCH /api/v1/namespaces/{ns}/configmaps/", error_requests="writes")
    report = applier.apply(manifests(configmap("a"), configmap("b")))
    assert {o.action for o in report.outcomes} <= {"failed", "not applied"}
    assert report.summary().endswith("failed to apply after the server's dry run passed; nothing was applied "
                                     "(all-or-nothing)")
    assert stored(raw, namespace) == {}


def test_after_a_failure_no_new_apply_starts(api_client, raw, namespace, faults, tmp_path):
    one_at_a_time = Applier(api_client, namespace, cache_file=tmp_path / "d.json", retry=FAST, workers=1)
    faults("^PATCH /api/v1/namespaces/{ns}/configmaps/doomed$", error_requests="writes")
    report = one_at_a_time.apply(manifests(configmap("first"), configmap("doomed"), configmap("last")))
    assert [o.line() for o in report.outcomes if o.ok] == [
        "configmap/first created, then rolled back (deleted)", "configmap/last not applied"]
    assert report.summary() == ("1 of 3 objects failed to apply after the server's dry run passed; all-or-nothing: "
                                "rolled back 1 object (1 created object deleted); 1 not sent")
    report = one_at_a_time.apply(manifests(configmap("doomed"), configmap("last")))
    assert report.summary().endswith("; nothing was applied (all-or-nothing)")
    assert stored(raw, namespace) == {}


def test_one_pass_sends_one_request_per_object_and_tells_what_happened(applier, raw, namespace, cluster):
    def requests_during(action):
        set_faults(cluster, reset=True, latency_ms=1)  # counts every API request it delays
        try:
            result = action()
            return result, get_faults(cluster)["stats"]["delayed_requests"] - counted
        finally:
            set_faults(cluster, reset=True)

    texts = [configmap(f"cm-{i}") for i in range(5)]
    applier.targets(manifests(texts[0]))  # discovery first: it is not what is counted
    counted = get_faults(cluster)["stats"]["delayed_requests"]
    report, sent = requests_during(lambda: applier.apply(manifests(*texts), all_or_nothing=False))
    assert [o.action for o in report.outcomes] == ["created"] * 5
    assert sent == 5 + 1, "one apply per object and one list of the collection"

    counted = get_faults(cluster)["stats"]["delayed_requests"]
    texts[2] = configmap("cm-2", "changed")
    report, sent = requests_during(lambda: applier.apply(manifests(*texts), all_or_nothing=False))
    assert [o.line() for o in report.outcomes] == [
        "configmap/cm-0 unchanged", "configmap/cm-1 unchanged", "configmap/cm-2 configured",
        "configmap/cm-3 unchanged", "configmap/cm-4 unchanged"]
    assert sent == 5 + 1
    assert stored(raw, namespace)["cm-2"]["data"] == {"key": "changed"}


def test_all_or_nothing_reads_many_live_objects_by_list(applier, raw, namespace, cluster):
    texts = [configmap(f"cm-{i:02d}") for i in range(30)]
    applier.apply(manifests(*texts))
    counted = get_faults(cluster)["stats"]["delayed_requests"]
    set_faults(cluster, reset=True, latency_ms=1)  # counts every API request it delays
    try:
        texts[7] = configmap("cm-07", "changed")
        report = applier.apply(manifests(*texts))
        sent = get_faults(cluster)["stats"]["delayed_requests"] - counted
    finally:
        set_faults(cluster, reset=True)
    assert [o.line() for o in report.outcomes] == [
        f"configmap/cm-{i:02d} {'configured' if i == 7 else 'unchanged'}" for i in range(30)]
    assert sent == 30 + 2 + 1, "30 dry runs, a list head and one page, one apply: no read per object"


def test_retry_waits_what_the_server_asks(applier, namespace, faults):
    faults(error_codes=[429], retry_after=2)
    with pytest.raises(ApiError) as asked:
        applier.wire.get(f"/api/v1/namespaces/{namespace}/configmaps/x")
    assert FAST.delay(asked.value, 1) == 2.0
    faults(error_codes=[503])
    with pytest.raises(ApiError) as unavailable:
        applier.wire.get(f"/api/v1/namespaces/{namespace}/configmaps/x")
    assert FAST.first_delay / 2 <= FAST.delay(unavailable.value, 1) <= FAST.first_delay
    assert FAST.first_delay <= FAST.delay(unavailable.value, 2) <= 2 * FAST.first_delay
    assert transient(unavailable.value, resend_safe=False), "a 503 was not processed: even a create may go again"
    faults(error_codes=[500])
    with pytest.raises(ApiError) as internal:
        applier.wire.get(f"/api/v1/namespaces/{namespace}/configmaps/x")
    assert transient(internal.value) and not transient(internal.value, resend_safe=False)
