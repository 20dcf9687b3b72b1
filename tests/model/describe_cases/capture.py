"""Record golden cases for tests/model/test_describe_golden.py from a running local cluster.

    kubetui cluster --seed --write-kubeconfig /tmp/kc &   # plus whatever objects to describe
    TZ=UTC python tests/model/describe_cases/capture.py /tmp/kc CASE_NAME -- [-n NS] TYPE NAME

For one object it fetches what `kube.describing` fetches (the object, its events, its related
objects), runs the venv's `kubectl describe` with the same arguments, fetches again, and keeps
the case only if nothing changed in between. It then looks for a `now` within the kubectl
run at which `model.describe` prints exactly kubectl's bytes, and writes CASE_NAME.json: the
inputs, that `now`, and kubectl's output. A case with no such `now` is reported, not written.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kubetui.kube.contexts import connect
from kubetui.kube.describing import fetch_related, get_object
from kubetui.kube.discovering import Discovery
from kubetui.model.describe import describe

HERE = Path(__file__).parent
KUBECTL = str(Path(sys.executable).parent / "kubectl")


def main() -> int:
    kubeconfig, name = sys.argv[1], sys.argv[2]
    args = sys.argv[sys.argv.index("--") + 1:]
    namespace = args[args.index("-n") + 1] if "-n" in args else "default"
    kind, object_name = [a for i, a in enumerate(args) if a != "-n" and (i == 0 or args[i - 1] != "-n")]
    conn = connect(kubeconfig, None, namespace)
    cache = Path(tempfile.mkdtemp()) / "discovery.json"
    resource = Discovery(conn.api_client, conn.server, cache=cache).resolve(kind)
    for _ in range(20):
        obj = get_object(conn.api_client, resource, namespace, object_name)
        related = fetch_related(conn.api_client, conn.server, resource, obj)
        start = datetime.now(timezone.utc)
        with tempfile.TemporaryDirectory() as cache:  # kubectl's discovery cache, kept out of the tree
            printed = subprocess.run([KUBECTL, "--kubeconfig", kubeconfig, "describe", *args], capture_output=True,
                                     text=True, check=True, env={"TZ": "UTC", "PATH": "/usr/bin:/bin", "HOME": cache,
                                                                 "KUBECACHEDIR": cache}).stdout
        end = datetime.now(timezone.utc)
        again = get_object(conn.api_client, resource, namespace, object_name)
        if again != obj or fetch_related(conn.api_client, conn.server, resource, again) != related:
            continue
        moment = start
        while moment <= end:
            if describe(resource.group, resource.kind, obj, related, moment, timezone.utc) == printed:
                case = {"group": resource.group, "kind": resource.kind, "object": obj, "related": asdict(related),
                        "now": moment.isoformat(), "expected": printed}
                (HERE / f"{name}.json").write_text(json.dumps(case, indent=1, sort_keys=True) + "\n")
                print(f"wrote {name}.json")
                return 0
            moment += timedelta(milliseconds=50)
        text = describe(resource.group, resource.kind, obj, related, start, timezone.utc)
        sys.stdout.writelines(_diff(printed, text))
        return 1
    print("the object kept changing")
    return 1


def _diff(a: str, b: str):
    import difflib

    return difflib.unified_diff(a.splitlines(True), b.splitlines(True), "kubectl", "kubetui")


if __name__ == "__main__":
    sys.exit(main())
