"""`kubetui apply -f`: kubectl's lines, exit codes, and 30 broken manifests that each get their
specific message and create nothing. Runs the real CLI entry point against the session cluster."""

from __future__ import annotations

import io
import re
import socket

import pytest

from kubetui.cli import main
from tests.apply_faults import faults  # noqa: F401

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.16\n"
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: value\n"
SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
             "start and end with an alphanumeric character")


@pytest.fixture
def run(kubeconfig_path, namespace, capsys, monkeypatch, tmp_path):
    """`run(*args, stdin=None)` -> (exit code, stdout, stderr) of `kubetui -n NS ...`."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def invoke(*args, stdin=None, context=None):
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        extra = ["--context", context] if context else []
        code = main(["--kubeconfig", str(kubeconfig_path), "-n", namespace, *extra, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def stored(raw, namespace):
    """Names of every pod, configmap and deployment in the namespace."""
    out = []
    for path in (f"/api/v1/namespaces/{namespace}/pods", f"/api/v1/namespaces/{namespace}/configmaps",
                 f"/apis/apps/v1/namespaces/{namespace}/deployments"):
        out += [item["metadata"]["name"] for item in raw.json("GET", path, expect=200)["items"]]
    return sorted(out)


def test_apply_prints_kubectls_lines_and_exits_zero(run, tmp_path, raw, namespace):
    path = write(tmp_path, "two.yaml", POD.format(name="web") + "---\n" + CM.format(name="settings"))
    assert run("apply", "-f", path) == (0, "pod/web created\nconfigmap/settings created\n", "")
    assert run("apply", "-f", path) == (0, "pod/web unchanged\nconfigmap/settings unchanged\n", "")
    changed = write(tmp_path, "two.yaml", POD.format(name="web").replace("1.16", "1.17"))
    assert run("apply", "-f", changed, "--dry-run=server") == (0, "pod/web configured (server dry run)\n", "")
    assert stored(raw, namespace) == ["settings", "web"]


def test_stdin_directories_and_recursion(run, tmp_path, raw, namespace):
    assert run("apply", "-f", "-", stdin=CM.format(name="from-stdin"))[:2] == (0, "configmap/from-stdin created\n")
    folder = tmp_path / "dir"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.yaml").write_text(CM.format(name="a"))
    (folder / "notes.txt").write_text("not a manifest")
    (folder / "nested" / "b.yml").write_text(CM.format(name="b"))
    assert run("apply", "-f", str(folder)) == (0, "configmap/a created\n", "")
    assert run("apply", "-f", str(folder), "-R") == (0, "configmap/a unchanged\nconfigmap/b created\n", "")
    assert stored(raw, namespace) == ["a", "b", "from-stdin"]


def test_conflict_then_force(run, tmp_path, kubectl, namespace, raw):
    path = write(tmp_path, "web.yaml", POD.format(name="web"))
    assert kubectl("apply", "-n", namespace, "-f", path).returncode == 0
    newer = write(tmp_path, "newer.yaml", POD.format(name="web").replace("1.16", "1.17"))
    code, out, err = run("apply", "-f", newer)
    assert code == 1 and out == ""
    assert 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: ' \
           '.spec.containers[name="nginx"].image' in err
    assert "--force-conflicts" in err
    assert run("apply", "-f", newer, "--force-conflicts") == (0, "pod/web configured\n", "")
    assert raw.json("GET", f"/api/v1/namespaces/{namespace}/pods/web")["spec"]["containers"][0]["image"] == "nginx:1.17"


def test_no_all_or_nothing_applies_what_passes(run, tmp_path, raw, namespace):
    path = write(tmp_path, "mixed.yaml", CM.format(name="good") + "---\n" + CM.format(name="Bad"))
    code, out, err = run("apply", "-f", path, "--no-all-or-nothing")
    assert code == 1 and out == "configmap/good created\n"
    assert 'ConfigMap "Bad" is invalid' in err
    assert stored(raw, namespace) == ["good"]


def test_readonly_refuses_apply_but_allows_a_server_dry_run(run, tmp_path, raw, namespace):
    path = write(tmp_path, "web.yaml", POD.format(name="web"))
    code, out, err = run("--readonly", "apply", "-f", path)
    assert (code, out) == (1, "")
    assert err == "kubetui: apply is disabled by --readonly (--dry-run=server is allowed: it changes nothing)\n"
    assert run("--readonly", "apply", "-f", path, "--dry-run=server") == (0, "pod/web created (server dry run)\n", "")
    assert stored(raw, namespace) == []


def test_viewer_context_gets_the_servers_403(run, tmp_path, namespace):
    code, out, err = run("apply", "-f", write(tmp_path, "web.yaml", POD.format(name="web")),
                         context="kubetui-local-viewer")
    assert code == 1
    assert f'Error from server (Forbidden): error when applying "{tmp_path}/web.yaml": pods "web" is forbidden: ' \
           f'User "viewer" cannot patch resource "pods" in API group "" in the namespace "{namespace}"' in err


def test_missing_file_and_unreachable_server(run, tmp_path, kubeconfig_path, capsys):
    assert run("apply", "-f", str(tmp_path / "gone.yaml")) == (
        1, "", f'kubetui: the path "{tmp_path}/gone.yaml" does not exist\n')
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = tmp_path / "dead"
    dead.write_text(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", kubeconfig_path.read_text()))
    code = main(["--kubeconfig", str(dead), "apply", "-f", write(tmp_path, "w.yaml", POD.format(name="w"))])
    assert (code, capsys.readouterr().err) == (1, f"kubetui: cannot reach https://127.0.0.1:{port}: is the cluster "
                                                  "running?\n")


def pod_with(spec_lines: str, name: str = "broken") -> str:
    return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{spec_lines}"


NGINX = "  containers:\n  - name: nginx\n    image: nginx:1.16\n"

BROKEN = [
    # --- found locally, before anything is sent -----------------------------------------------------
    ("yaml-indent", POD.format(name="a") + "   bad: indent\n", "document 1, line 9, column 4: YAML syntax error: "
                                                                 "did not find expected key"),
    ("yaml-mapping-value", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n",
     "line 4, column 10: YAML syntax error: mapping values are not allowed in this context"),
    ("yaml-unterminated-quote", 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "a\n',
     "YAML syntax error: found unexpected end of stream"),
    ("yaml-tab", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n", "line 4, column 1: YAML syntax error: found "
                                                                      "character that cannot start any token"),
    ("yaml-duplicate-key", POD.format(name="a") + "    image: redis\n", 'YAML syntax error: key "image" already set '
                                                                         "in map"),
    ("json-syntax", '{"apiVersion": "v1", "kind": "Pod"\n "metadata": {}}', "line 2, column 2: JSON syntax error: "
                                                                           "Expecting ',' delimiter"),
    ("name-underscore", POD.format(name="Sample_Pod"), f'Pod "Sample_Pod" is invalid: metadata.name: Invalid value: '
                                                       f'"Sample_Pod": {SUBDOMAIN}'),
    ("name-uppercase-deployment", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Web\n",
     'Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web"'),
    ("service-name-digit", "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\n",
     'Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label'),
    ("namespace-invalid", POD.format(name="a").replace("  name: a", "  name: a\n  namespace: Team_A"),
     'metadata.namespace: Invalid value: "Team_A": a lowercase RFC 1123 label'),
    ("missing-kind", "apiVersion: v1\nmetadata:\n  name: a\n", "Object 'Kind' is missing in '{\"apiVersion\":\"v1\""),
    ("missing-api-version", "kind: Pod\nmetadata:\n  name: a\n", "Object 'apiVersion' is missing in '{\"kind\":\"Pod\""),
    ("missing-name", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
     'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'),
    ("metadata-not-object", "apiVersion: v1\nkind: Pod\nmetadata: web\n",
     "json: cannot unmarshal string into Go struct field Pod.metadata of type v1.ObjectMeta"),
    ("document-is-a-list", "- apiVersion: v1\n", "expected an object with apiVersion, kind and metadata, found a list"),
    ("duplicate-objects", CM.format(name="same") + "---\n" + CM.format(name="same"),
     'document 2, line 11, column 3: duplicate object: ConfigMap "same" is also defined in document 1 (line 1)'),
    ("list-with-a-bad-item", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n"
                             "    name: fine\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: Not_Fine\n",
     'item 1, line 11, column 5: ConfigMap "Not_Fine" is invalid: metadata.name: Invalid value: "Not_Fine"'),
    # --- refused by the server's dry run ------------------------------------------------------------
    ("unknown-kind", "apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n",
     'no matches for kind "Foo" in version "example.com/v1"'),
    ("unknown-version", "apiVersion: v2\nkind: Pod\nmetadata:\n  name: p\n", 'no matches for kind "Pod" in version "v2"'),
    ("duplicate-container-names", pod_with(NGINX + "  - name: nginx\n    image: redis:3.2\n"),
     'Pod "broken" is invalid: spec.containers[1].name: Duplicate value: "nginx"'),
    ("missing-image", pod_with("  containers:\n  - name: nginx\n"),
     'Pod "broken" is invalid: spec.containers[0].image: Required value'),
    ("no-containers", pod_with("  containers: []\n"), 'Pod "broken" is invalid: spec.containers: Required value'),
    ("bad-port", pod_with(NGINX + "    ports:\n    - containerPort: 70000\n"),
     "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"),
    ("bad-restart-policy", pod_with(NGINX + "  restartPolicy: Sometimes\n"),
     'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'),
    ("wrong-type-image", pod_with("  containers:\n  - name: nginx\n    image: 5\n"),
     '.spec.containers[name="nginx"].image: expected string, got &value.valueUnstructured{Value:5}'),
    ("wrong-type-port", pod_with(NGINX + "    ports:\n    - containerPort: \"80\"\n"),
     "containerPort: expected numeric (int or float), got string"),
    ("wrong-type-containers", pod_with("  containers: nginx\n"), ".spec.containers: expected list, got"),
    ("unknown-field-typo", pod_with("  containers:\n  - name: nginx\n    imagee: nginx:1.16\n"),
     '.spec.containers[name="nginx"].imagee: field not declared in schema'),
    ("unknown-spec-field", pod_with(NGINX + "  restartPolicyy: Never\n"), ".spec.restartPolicyy: field not declared "
                                                                          "in schema"),
    ("bad-label-value", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    app: 'bad value!'\n",
     'metadata.labels: Invalid value: "bad value!": a valid label must be an empty string'),
    ("selector-mismatch", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n"
                          "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: other}\n"
                          "    spec:\n" + NGINX.replace("  ", "      ", 1).replace("\n  -", "\n      -")
                          .replace("\n    image", "\n        image"),
     "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match "
     "template `labels`"),
    ("list-with-a-server-side-bad-item", "apiVersion: v1\nkind: List\nitems:\n- " + CM.format(name="ok").replace(
        "\n", "\n  ").rstrip() + "\n- " + pod_with("  containers:\n  - name: nginx\n").replace("\n", "\n  ").rstrip()
     + "\n", 'Pod "broken" is invalid: spec.containers[0].image: Required value'),
]


def shifted(message: str) -> str:
    """The message once the innocent ConfigMap (one document, 7 lines) stands before the text."""
    message = re.sub(r"document (\d+)", lambda m: f"document {int(m.group(1)) + 1}", message)
    return re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + 7}", message)


@pytest.mark.parametrize("text,message", [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_manifests_get_their_message_and_create_nothing(run, tmp_path, raw, namespace, text, message):
    # A valid object rides along: all-or-nothing must keep it out too.
    path = write(tmp_path, "broken.yaml", CM.format(name="innocent") + "---\n" + text)
    code, out, err = run("apply", "-f", path)
    assert code == 1
    assert shifted(message) in err, err
    assert "configmap/innocent not applied" in out
    assert stored(raw, namespace) == []


def test_there_are_at_least_25_broken_manifests():
    assert len(BROKEN) >= 25


# --- transient answers, failures after the dry run, rollback --------------------------------------


def test_the_issue_200_configmaps_through_503s_all_created(run, tmp_path, raw, namespace, faults):
    path = write(tmp_path, "many.yaml", "---\n".join(CM.format(name=f"cm-{i:03d}") for i in range(200)))
    before = faults.injected()
    faults(error_rate=0.05, error_codes=[503])
    code, out, err = run("apply", "-f", path)
    assert faults.injected() > before, "the knob failed some requests"
    assert (code, err) == (0, "")
    assert out == "".join(f"configmap/cm-{i:03d} created\n" for i in range(200))
    assert len(raw.json("GET", f"/api/v1/namespaces/{namespace}/configmaps", expect=200)["items"]) == 200


def test_transient_answers_during_discovery_are_retried(run, tmp_path, raw, namespace, faults):
    before = faults.injected()
    faults("^GET /apis?(/|$)", error_codes=[503], error_limit=3)  # kubetui's discovery cache is empty
    assert run("apply", "-f", write(tmp_path, "one.yaml", CM.format(name="found"))) == (
        0, "configmap/found created\n", "")
    assert faults.injected() - before == 3


def test_a_failure_after_the_dry_run_is_rolled_back_and_said_so(run, tmp_path, raw, namespace, faults):
    assert run("apply", "-f", write(tmp_path, "old.yaml", CM.format(name="old")))[0] == 0
    path = write(tmp_path, "set.yaml", "---\n".join([CM.format(name="old").replace("value", "new value"),
                                                     CM.format(name="fresh"), CM.format(name="doomed")]))
    faults("^PATCH /api/v1/namespaces/{ns}/configmaps/doomed$", error_requests="writes")
    code, out, err = run("apply", "-f", path)
    assert code == 1
    assert out == "configmap/old configured, then rolled back (restored)\nconfigmap/fresh created, then rolled back " \
                  "(deleted)\n"
    assert err == (f'Error from server (ServiceUnavailable): error when applying "{path}": the server is currently '
                   "unable to handle the request (after 5 attempts)\n"
                   "error: 1 of 3 objects failed to apply after the server's dry run passed; all-or-nothing: rolled "
                   "back 2 objects (1 created object deleted, 1 configured object restored to its state before this "
                   "run)\n")
    assert stored(raw, namespace) == ["old"]
    assert raw.json("GET", f"/api/v1/namespaces/{namespace}/configmaps/old")["data"] == {"key": "value"}


def test_what_could_not_be_rolled_back_is_named_on_stderr(run, tmp_path, raw, namespace, faults):
    path = write(tmp_path, "set.yaml", CM.format(name="stuck") + "---\n" + CM.format(name="doomed"))
    faults("^(PATCH /api/v1/namespaces/{ns}/configmaps/doomed|DELETE /api/v1/namespaces/{ns}/configmaps/stuck)$",
           error_requests="writes", error_codes=[500])
    code, out, err = run("apply", "-f", path)
    assert (code, out) == (1, "configmap/stuck created\n")
    assert err.splitlines()[1:] == [
        "error: configmap/stuck could not be rolled back (it stays created): Error from server (InternalError): "
        "Internal error occurred: injected fault (after 5 attempts)",
        "error: 1 of 2 objects failed to apply after the server's dry run passed; all-or-nothing: nothing was rolled "
        "back; 1 could not be rolled back and stays as this run left it: configmap/stuck"]
    assert "nothing was applied" not in err
    assert stored(raw, namespace) == ["stuck"]
