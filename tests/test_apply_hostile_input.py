"""`kubetui apply` on hostile input, as a user runs it: `python -m kubetui` in a subprocess against
the session cluster. Alias bombs are refused in bounded memory (the process runs under a 1 GiB
address-space limit; expanded, the 7-level bomb needs several GiB) and bounded time (the
subprocess timeout); unknown tags are one line and run nothing; a closed or unreadable stdin is
one line. Exit 1, no traceback, nothing created."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_manifests import BOMB_LINE, alias_bomb

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 1 << 30  # bytes of address space: an interpreter with the client fits, an expanded bomb does not
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: {value}\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _close_stdin() -> None:
    os.close(0)


@pytest.fixture
def kubetui(kubeconfig_path, namespace, tmp_path):
    """`kubetui(*args, input=None, stdin=None, preexec_fn=None)` -> CompletedProcess of
    `python -m kubetui -n NS ...` with this checkout first on the path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run(*args, input=None, stdin=None, preexec_fn=_limit_memory, timeout=60):
        return subprocess.run([sys.executable, "-m", "kubetui", "--kubeconfig", str(kubeconfig_path), "-n", namespace,
                               *args], input=input, stdin=stdin, capture_output=True, env=env, timeout=timeout,
                              preexec_fn=preexec_fn, check=False)

    return run


def configmaps(raw, namespace) -> list[str]:
    items = raw.json("GET", f"/api/v1/namespaces/{namespace}/configmaps", expect=200)["items"]
    return sorted(item["metadata"]["name"] for item in items)


def assert_one_line_failure(result, line: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "Traceback" not in err
    assert line in err.splitlines(), err


@pytest.mark.timeout(180)
@pytest.mark.parametrize("levels, nodes", [(7, "6,053,461"), (9, "490,329,074")])
def test_alias_bombs_are_refused_in_bounded_time_and_memory(kubetui, tmp_path, raw, namespace, levels, nodes):
    path = tmp_path / "bomb.yaml"
    path.write_text(CM.format(name="fine", value="v") + "---\n" + alias_bomb(levels))
    result = kubetui("apply", "-f", str(path))
    assert_one_line_failure(result, f"error: {path}, document 2, line {7 + BOMB_LINE}, column 7: YAML aliases "
                                    f"expand this document to {nodes} nodes from {30 + 2 * (levels - 5)} written, "
                                    "more than the limit of 10,000: refused before expanding")
    assert result.stdout.decode() == "configmap/fine not applied\n"
    assert configmaps(raw, namespace) == []


@pytest.mark.timeout(180)
def test_an_alias_bomb_on_stdin_names_stdin(kubetui, raw, namespace):
    result = kubetui("apply", "-f", "-", input=alias_bomb(9).encode())
    assert_one_line_failure(result, f"error: STDIN, document 1, line {BOMB_LINE}, column 7: YAML aliases expand "
                                    "this document to 490,329,074 nodes from 38 written, more than the limit of "
                                    "10,000: refused before expanding")
    assert configmaps(raw, namespace) == []


def test_unknown_tags_are_one_line_each_and_run_nothing(kubetui, tmp_path, raw, namespace):
    owned = tmp_path / "owned"
    path = tmp_path / "sample.yaml"
    path.write_text(CM.format(name="ref", value="!Ref web") + "---\n"
                    + CM.format(name="python", value=f"!!python/object/apply:os.system ['touch {owned}']"))
    result = kubetui("apply", "-f", str(path))
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err
    problems = [line for line in err.splitlines() if "unknown tag" in line]
    assert problems == [f"error: {path}, document 1, line 6, column 8: unknown tag !Ref",
                        f"error: {path}, document 2, line 13, column 8: unknown tag !!python/object/apply:os.system"]
    assert not owned.exists()
    assert configmaps(raw, namespace) == []


def test_a_closed_stdin_is_one_line(kubetui, raw, namespace):
    result = kubetui("apply", "-f", "-", preexec_fn=_close_stdin)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", "kubetui: cannot read stdin (-f -): it is closed\n")


def test_a_stdin_open_only_for_writing_is_one_line(kubetui, tmp_path):
    with open(tmp_path / "write-only", "wb") as stdin:
        result = kubetui("apply", "-f", "-", stdin=stdin)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", "kubetui: cannot read stdin (-f -): Bad file descriptor\n")


def test_a_stdin_that_is_not_utf8_is_one_line(kubetui):
    result = kubetui("apply", "-f", "-", input=CM.format(name="x", value="caf\xe9").encode("latin-1"))
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1, b"", "kubetui: cannot read stdin (-f -): not UTF-8 text (byte 0xe9 on line 6)\n")
