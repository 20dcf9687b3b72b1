"""`kubetui get pods` against the venv's kubectl on the same local cluster: the same lines.

The cluster of this module churns for a while (restarts, crash loops, pending pods), then holds
still, so both commands see the same pods. Ages are computed by each side at its own instant, so
AGE cells and the "(5s ago)" of RESTARTS are masked with as many '#' (the alignment must still
be identical). When an age changed width between the two runs (9s, then 10s), the tables are
compared cell by cell instead, and each side must be exactly the tabwriter layout of its cells.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest
import yaml

from kubetui.localcluster.cluster.faults import set_faults
from kubetui.model import format_table
from tests.support.clusters import KUBECTL, start_cluster
from tests.support.waiting import wait_for

KUBETUI = [sys.executable, "-m", "kubetui"]
_AGO = re.compile(r"\(([0-9a-z]+) ago\)")


class Side:
    """One command line (kubectl or kubetui) bound to a kubeconfig."""

    def __init__(self, argv: list[str], kubeconfig: Path, env: dict[str, str]) -> None:
        self.argv, self.kubeconfig, self.env = argv, kubeconfig, env

    def command(self, *args: str, kubeconfig: Path | None = None) -> list[str]:
        return [*self.argv, "--kubeconfig", str(kubeconfig or self.kubeconfig), *args]

    def run(self, *args: str, kubeconfig: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args, kubeconfig=kubeconfig), capture_output=True, text=True,
                              env=self.env, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def still_cluster(tmp_path_factory):
    with start_cluster(tmp_path_factory.mktemp("still"), pods=150, churn=60, random_seed=5, kubelet=False) as running:
        cluster = running.cluster
        wait_for(lambda: cluster.call(lambda: cluster.churn.changes_made) >= 200, timeout=60,
                 message="200 churn changes (a varied state first)")
        cluster.call(lambda: setattr(cluster.churn, "rate", 0))
        yield cluster


@pytest.fixture(scope="module")
def sides(still_cluster, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("get-pods")
    kubeconfig = still_cluster.write_kubeconfig(tmp / "config")
    env = {**os.environ, "KUBECACHEDIR": str(tmp / "kubecache"), "KUBECONFIG": str(kubeconfig)}
    kubectl, kubetui = Side([KUBECTL], kubeconfig, env), Side(KUBETUI, kubeconfig, env)
    for manifest in ({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "empty"}},
                     {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tricky"}}, TRICKY_POD):
        subprocess.run(kubectl.command("apply", "-f", "-"), input=orjson.dumps(manifest).decode(),
                       capture_output=True, text=True, env=env, check=True)
    return kubectl, kubetui


# Strings that YAML and Go's JSON treat specially: quoting, folding at 80 columns, literal
# blocks, key order ("k9" before "k10"), HTML escapes. (kubectl itself refuses control
# characters in -o yaml, so there are none.)
TRICKY_POD = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "tricky", "namespace": "tricky", "labels": {"app": "x", "1": "one", "10": "ten", "2": "two"},
                 "annotations": {
                     "long": "word " * 40, "longnospace": "x" * 120, "yes": "yes", "y": "y", "n": "N", "on": "on",
                     "null": "null", "tilde": "~", "empty": "", "int": "123", "octal": "0755", "hex": "0x1F",
                     "float": "1.5", "exp": "1e3", "under": "1_000", "b60": "1:30", "ts": "2026-11-26",
                     "ts2": "2026-11-26T10:00:00Z", "dot": ".5", "dotinf": ".inf", "colon": "a: b", "hash": "a #b",
                     "star": "*x", "amp": "&x", "bang": "!x", "pct": "%x", "at": "@x", "tick": "`x", "dash": "- x",
                     "q": "?x", "brace": "{x}", "brack": "[x]", "comma": "a, b", "quote": "'x'", "dq": '"x"',
                     "lead": " x", "trail": "x ", "tab": "a\tb", "ml": "line1\nline2\n", "ml2": "line1\nline2",
                     "mltrail": "a \nb", "html": "<a href='x'>&amp;</a>", "uni": "h\u00e9llo \u2713 \u65e5\u672c",
                     "bs": "back\\slash", "zero": "0", "neg": "-1", "plus": "+1", "true": "True", "bool2": "FALSE",
                     "k10": "a", "k9": "b", "key_2": "c", "key10": "d", "Key": "e", "a.b/c": "f", "a-b": "g",
                     "a_b": "h", "a0": "i", "a00": "j", "jsonish": '{"a": 1, "b": [1,2]}', "ver": "1.2.3",
                     "multilong": "this is a long line with spaces " * 4 + "\nsecond", "port": "8080:80",
                 }},
    "spec": {"containers": [{"name": "c", "image": "nginx", "args": ["--x=1", "yes", "", "1.0"],
                             "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}}}]},
}


def mask_times(text: str) -> str:
    """AGE cells and "(… ago)" replaced by as many '#', so the layout is kept."""
    lines = text.splitlines(keepends=True)
    if not lines or "AGE" not in lines[0]:
        return text
    header = lines[0]
    start = header.index("AGE")
    following = re.search(r"\S", header[start + 3:])
    end = start + 3 + following.start() if following else None
    masked = [header]
    for line in lines[1:]:
        stop = end if end is not None else len(line.rstrip("\n"))
        cell = line[start:stop].rstrip()
        line = line[:start] + "#" * len(cell) + line[start + len(cell):]
        masked.append(_AGO.sub(lambda m: "(" + "#" * len(m.group(1)) + " ago)", line))
    return "".join(masked)


def table_cells(text: str) -> list[list[str]]:
    """Cells of a kubectl table: the tabwriter pads every cell but the last by 3+ spaces."""
    return [re.split(r" {3,}", line) for line in text.splitlines()]


def masked_cells(text: str) -> list[list[str]]:
    rows = table_cells(text)
    age = rows[0].index("AGE") if rows and "AGE" in rows[0] else None
    masked = [rows[0]] if rows else []
    for row in rows[1:]:
        row = [_AGO.sub("(<t> ago)", cell) for cell in row]
        if age is not None:
            row[age] = "<age>"
        masked.append(row)
    return masked


def assert_same_table(expected: str, actual: str) -> None:
    if mask_times(expected) == mask_times(actual):
        return  # the usual case: identical, ages aside
    assert masked_cells(actual) == masked_cells(expected)
    for text in (expected, actual):  # kubectl's own output also checks table_cells reads it right
        rows = table_cells(text)
        assert format_table(rows[0], rows[1:]) == text


def same_output(kubectl: Side, kubetui: Side, *args: str) -> tuple[str, str]:
    expected, actual = kubectl.run("get", "pods", *args), kubetui.run("get", "pods", *args)
    assert actual.returncode == expected.returncode == 0, (actual.stderr, expected.stderr)
    assert actual.stderr == expected.stderr
    assert_same_table(expected.stdout, actual.stdout)
    return expected.stdout, actual.stdout


@pytest.mark.parametrize("args", [
    (), ("-A",), ("-A", "-o", "wide"), ("-n", "team-01", "-o", "wide"),
    ("-A", "--field-selector", "status.phase=Running"), ("-A", "--field-selector", "status.phase!=Running"),
], ids=lambda a: " ".join(a) or "default-namespace")
def test_tables_have_the_same_lines(sides, args):
    same_output(*sides, *args)


def test_the_cluster_shows_varied_states(sides):
    """Guards the comparisons above: they must cover restarts and more than one status."""
    _, kubetui = sides
    out = kubetui.run("get", "pods", "-A").stdout
    assert " ago)" in out
    statuses = {line.split()[3] for line in out.splitlines()[1:]}
    assert "Running" in statuses and len(statuses) >= 2


def test_label_selector(sides, still_cluster):
    kubectl, kubetui = sides
    app = kubetui.run("get", "pods", "-n", "team-02", "-o", "json")
    label = orjson.loads(app.stdout)["items"][0]["metadata"]["labels"]["app"]
    _, got = same_output(kubectl, kubetui, "-A", "-l", f"app={label}")
    assert len(got.splitlines()) >= 2 and all(f"{label}-" in line for line in got.splitlines()[1:])


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_json_and_yaml_are_byte_for_byte_kubectls(sides, output):
    kubectl, kubetui = sides
    expected = kubectl.run("get", "pods", "-A", "-o", output)
    actual = kubetui.run("get", "pods", "-A", "-o", output)
    assert actual.returncode == expected.returncode == 0
    parse = orjson.loads if output == "json" else (lambda text: yaml.load(text, Loader=yaml.CSafeLoader))
    assert parse(actual.stdout) == parse(expected.stdout)
    document = parse(actual.stdout)
    assert document["kind"] == "List" and document["metadata"] == {"resourceVersion": ""}
    assert actual.stdout == expected.stdout


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_tricky_strings_are_quoted_and_folded_as_kubectl_does(sides, output):
    kubectl, kubetui = sides
    expected = kubectl.run("get", "pods", "-n", "tricky", "-o", output)
    actual = kubetui.run("get", "pods", "-n", "tricky", "-o", output)
    assert expected.returncode == 0 and "last-applied-configuration" in expected.stdout
    assert actual.stdout == expected.stdout


def test_name_output(sides):
    kubectl, kubetui = sides
    expected, actual = kubectl.run("get", "pods", "-A", "-o", "name"), kubetui.run("get", "pods", "-A", "-o", "name")
    assert actual.stdout == expected.stdout and actual.stdout.startswith("pod/")


@pytest.mark.parametrize("args", [
    ("-n", "empty"), ("-n", "empty", "-o", "wide"), ("-n", "empty", "-o", "name"),
    ("-n", "empty", "-o", "json"), ("-n", "empty", "-o", "yaml"), ("-A", "-l", "no=such-pod"),
], ids=lambda a: " ".join(a))
def test_nothing_found_is_said_as_kubectl_says_it(sides, args):
    kubectl, kubetui = sides
    expected, actual = kubectl.run("get", "pods", *args), kubetui.run("get", "pods", *args)
    assert (actual.returncode, actual.stdout, actual.stderr) == (expected.returncode, expected.stdout, expected.stderr)


@pytest.mark.parametrize("args", [
    ("--field-selector", "no.such.field=1"), ("-l", "app in (unclosed"), ("-A", "--field-selector", "bogus"),
], ids=lambda a: " ".join(a))
def test_bad_selectors_are_the_servers_words(sides, args):
    kubectl, kubetui = sides
    expected, actual = kubectl.run("get", "pods", *args), kubetui.run("get", "pods", *args)
    assert actual.returncode == expected.returncode == 1
    assert actual.stderr == expected.stderr and actual.stderr.startswith("Error from server (BadRequest)")


@pytest.mark.parametrize("code", [500, 503])
def test_server_errors_are_worded_as_kubectl_words_them(sides, still_cluster, code):
    kubectl, kubetui = sides
    set_faults(still_cluster, error_rate=1.0, error_codes=[code])
    try:
        expected, actual = kubectl.run("get", "pods"), kubetui.run("get", "pods")
    finally:
        set_faults(still_cluster, reset=True)
    assert actual.returncode == expected.returncode == 1
    assert actual.stderr.splitlines()[-1] == expected.stderr.splitlines()[-1]
    assert actual.stderr.startswith("Error from server (") and "Traceback" not in actual.stderr


def _kubeconfig_variant(still_cluster, tmp_path: Path, **changes: str) -> Path:
    path = still_cluster.write_kubeconfig(tmp_path / "config")
    document = yaml.safe_load(path.read_text())
    for user in document["users"]:
        if "token" in changes:
            user["user"]["token"] = changes["token"]
    for entry in document["clusters"]:
        if "server" in changes:
            entry["cluster"]["server"] = changes["server"]
    path.write_text(yaml.safe_dump(document))
    return path


def test_a_rejected_token_is_kubectls_line(sides, still_cluster, tmp_path):
    kubectl, kubetui = sides
    config = _kubeconfig_variant(still_cluster, tmp_path, token="wrong")
    expected, actual = kubectl.run("get", "pods", kubeconfig=config), kubetui.run("get", "pods", kubeconfig=config)
    assert actual.returncode == expected.returncode == 1
    assert actual.stderr == expected.stderr == "error: You must be logged in to the server (Unauthorized)\n"


def test_an_unreachable_server_is_kubectls_last_line(sides, still_cluster, tmp_path):
    import socket

    kubectl, kubetui = sides
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = _kubeconfig_variant(still_cluster, tmp_path, server=f"https://127.0.0.1:{port}")
    expected, actual = kubectl.run("get", "pods", kubeconfig=config), kubetui.run("get", "pods", kubeconfig=config)
    assert actual.returncode == expected.returncode == 1
    assert actual.stderr.splitlines() == [expected.stderr.splitlines()[-1]]  # kubectl adds klog lines first
    assert "was refused" in actual.stderr


def test_an_unknown_resource_type_is_refused(sides):
    kubectl, kubetui = sides
    expected, result = kubectl.run("get", "podz"), kubetui.run("get", "podz")
    assert result.returncode == expected.returncode == 1
    assert result.stderr == expected.stderr == 'error: the server doesn\'t have a resource type "podz"\n'


# ------------------------------------------------------------------------------------ -w
class Follower:
    """A `get pods -w` process whose stdout lines arrive on a queue."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env, stdin=subprocess.DEVNULL)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def next_line(self, deadline: float) -> str:
        try:
            return self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no line before the deadline; stderr: {self._stderr()}") from None

    def _stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        return self.proc.stderr.read()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_watch_prints_a_line_per_change_aligned_as_kubectl(sides):
    kubectl, kubetui = sides
    listed = orjson.loads(kubetui.run("get", "pods", "-n", "team-03", "-o", "json").stdout)["items"]
    name = listed[0]["metadata"]["name"]
    followers = [Follower(side.command("get", "pods", "-n", "team-03", "-w"), side.env) for side in sides]
    try:
        deadline = time.monotonic() + 60
        initial = []
        for follower in followers:  # the header and one line per pod, before any change
            initial.append([follower.next_line(deadline) for _ in range(len(listed) + 1)])
        assert_same_table("".join(initial[0]), "".join(initial[1]))
        patch = kubectl.run("label", "pods", name, "-n", "team-03", "--overwrite", f"watched=t{time.time_ns()}")
        assert patch.returncode == 0, patch.stderr
        changed = [follower.next_line(time.monotonic() + 30) for follower in followers]
        want, got = (masked_cells(initial[0][0] + line)[1] for line in changed)
        assert got == want and got[0] == name
    finally:
        for follower in followers:
            follower.stop()
