"""`sh -c SCRIPT` as a container's command (read back through the API server's log endpoint)
and `kubectl exec POD -- sh -c SCRIPT` into a running container of the same image print the
same: one interpreter serves both."""

from __future__ import annotations

import pytest

from tests.localcluster.sim_support import (  # noqa: F401 (fixture)
    fast_cluster, new_namespace, row, wait_status,
)
from tests.support.pods import pod_manifest, script_container, sleeper

IMAGES = ("busybox:1.36", "nginx:1.16")  # busybox ash, Debian's dash
SCRIPTS = {
    "arithmetic": "echo $((-7/2)) $((-7%2)) $((2<<7)) $((0x1f)) $((010)); i=5; "
                  "echo $((i*=2)) $i $((i>3 ? 1 : 0))",
    "finite-loops": "i=0; while [ $i -lt 3 ]; do echo \"pass $i\"; i=$((i+1)); done; "
                    "for w in a b c; do printf '%s.' $w; done; echo; "
                    "until [ $i -eq 0 ]; do i=$((i-1)); [ $i -eq 1 ] && continue; echo $i; done",
    "printf": "printf '%s=%d|%5s|%-4s|%03d\\n' a 1 b c 7; printf '%x %o %%\\n' 255 8; "
              "printf '%s\\n' one two",
    "test": "[ 3 -gt 2 ] && echo gt; [ -z '' ] && echo empty; [ abc != abd ] && echo differ; "
            "test -d /tmp && echo tmp; [ -f /nope ] || echo nofile; [ ! 1 -eq 2 ] && echo not",
    "string-ops": "f=archive.tar.gz; echo ${f%.*} ${f%%.*} ${f#*.} ${f##*.} ${#f} "
                  "${unset:-fallback}; set -- 'a b' c; for a in \"$@\"; do echo \"[$a]\"; done; "
                  "echo $#",
    "substitution-and-ifs": "x=$(echo one; echo two); echo \"$x\" $x; v=a:b::c; IFS=:; "
                            "for p in $v; do echo \"<$p>\"; done",
}


def pod_name(image: str, script: str) -> str:
    return f"{image.split(':')[0]}-{script}"


@pytest.fixture(scope="module")
def pods(fast_cluster):
    namespace = new_namespace(fast_cluster)
    for image in IMAGES:
        fast_cluster.raw.create_pod(namespace, pod_manifest(f"{image.split(':')[0]}-shell",
                                                            sleeper("app", image)))
        for name, script in SCRIPTS.items():
            fast_cluster.raw.create_pod(namespace, pod_manifest(
                pod_name(image, name), script_container("app", script, image),
                restartPolicy="Never"))
    for image in IMAGES:
        wait_status(fast_cluster, namespace, f"{image.split(':')[0]}-shell",
                    lambda p: row(p).status == "Running")
        for name in SCRIPTS:
            wait_status(fast_cluster, namespace, pod_name(image, name),
                        lambda p: row(p).status == "Completed")
    return namespace


@pytest.mark.parametrize("image", IMAGES)
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_container_logs_and_exec_print_the_same(fast_cluster, pods, image, script):
    logged = fast_cluster.core.read_namespaced_pod_log(pod_name(image, script), pods)
    executed = fast_cluster.kubectl("exec", "-n", pods, f"{image.split(':')[0]}-shell", "--",
                                    "sh", "-c", SCRIPTS[script])
    assert executed.stderr == ""
    assert logged == executed.stdout
    assert logged.strip()
