"""What a container does when it starts: command/args against ENTRYPOINT/CMD, the `sh -c`
interpreter, servers and their port clashes, missing shells. Pure: no server involved."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from kubetui.localcluster.runtime.container_sim import PodContext, effective_argv, plan_container
from kubetui.localcluster.images.catalogue import lookup_image
from kubetui.localcluster.sandbox.run_plan import RunPlan
from kubetui.localcluster.sandbox.shared_files import feeds

WALL = datetime(2026, 11, 26, 10, 0, 0, 123000, tzinfo=timezone.utc)
SAMPLES = Path(__file__).resolve().parents[2] / "kubetui" / "samples"


def plan(container: dict, ports=(), env=None) -> RunPlan:
    context = PodContext(pod_name="sample-pod", ports_in_use=frozenset(ports), env=env or {})
    return plan_container(container, lookup_image(container["image"]), context)


def texts(run: RunPlan) -> list[str]:
    return [line.render(WALL) for line in run.lines]


@pytest.mark.parametrize("container, argv", [
    ({"image": "nginx:1.16"}, ["nginx", "-g", "daemon off;"]),
    ({"image": "nginx:1.16", "command": ["/bin/sleep"], "args": ["3600"]}, ["/bin/sleep", "3600"]),
    ({"image": "nginx:1.16", "command": ["/bin/sleep"]}, ["/bin/sleep"]),
    ({"image": "redis:3.2", "args": ["--port", "7000"]},
     ["docker-entrypoint.sh", "--port", "7000"]),
    ({"image": "nginx:1.27"}, ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]),
    ({"image": "busybox", "command": ["echo", "$(GREETING)", "$$(GREETING)"],
      "env": [{"name": "GREETING", "value": "hi"}]}, ["echo", "hi", "$(GREETING)"]),
])
def test_command_replaces_entrypoint_and_args_replace_cmd(container, argv):
    assert effective_argv(container, lookup_image(container["image"]))[0] == argv


def test_nginx_runs_forever_on_port_80_and_logs_only_the_probes_it_is_given():
    run = plan({"image": "nginx:1.16"})
    assert run.runs_forever and run.ports == (80,) and run.lines == () and run.periodic is None
    probed = plan({"image": "nginx:1.16", "readinessProbe": {
        "httpGet": {"path": "/", "port": 80}, "periodSeconds": 5, "initialDelaySeconds": 2},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": "web"}, "periodSeconds": 5},
        "ports": [{"name": "web", "containerPort": 80}]})
    assert (probed.periodic.first, probed.periodic.interval) == (1.0, 5.0)
    assert [line.render(WALL) for line in probed.periodic.lines] == [
        '10.244.1.1 - - [26/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "kube-probe/1.37" "-"',
        '10.244.1.1 - - [26/Nov/2026:10:00:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "kube-probe/1.37" "-"']


def test_nginx_on_a_taken_port_prints_its_bind_errors_and_exits_1():
    run = plan({"image": "nginx:1.16"}, ports=[80])
    lines = texts(run)
    assert lines[:2] == [
        "2026/11/26 10:00:00 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)",
        "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)"]
    assert lines.count("nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)") == 5
    assert lines[-1] == "nginx: [emerg] still could not bind()"
    assert run.exit_code == 1 and run.exit_after == pytest.approx(2.05)
    assert {line.stream for line in run.lines} == {"stderr"}


def test_modern_nginx_prints_its_entrypoint_and_both_addresses():
    lines = texts(plan({"image": "nginx:1.27"}, ports=[80]))
    assert lines[0].startswith("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty")
    assert "nginx: [emerg] bind() to [::]:80 failed (98: Address already in use)" in lines


def test_redis_prints_its_banner():
    lines = texts(plan({"image": "redis:3.2"}))
    assert any("Redis 3.2.12 (00000000/0) 64 bit" in line for line in lines)
    assert lines[-1] == "1:M 26 Nov 10:00:00.123 * The server is now ready to accept connections on port 6379"


def test_shell_only_images_exit_0_at_once_without_a_command():
    for image in ("busybox:1.36", "alpine:3.20", "ubuntu:24.04", "debian:12", "python:3.12"):
        run = plan({"image": image})
        assert (run.exit_after, run.exit_code) == (0.0, 0), image


def test_stdin_keeps_a_shell_running():
    assert plan({"image": "busybox:1.36", "stdin": True, "tty": True}).runs_forever


def test_unknown_binaries_run_forever():
    assert plan({"image": "busybox:1.36", "command": ["/app/server", "--port=8080"]}).runs_forever
    assert plan({"image": "myorg/app:1"}).runs_forever


def test_bash_is_missing_from_busybox_and_alpine():
    run = plan({"image": "busybox:1.36", "command": ["bash", "-c", "echo hi"]})
    assert run.exit_code == 128 and 'exec: "bash": executable file not found in $PATH' in run.start_error


def test_sleep_ignores_sigterm_as_pid_1():
    run = plan({"image": "nginx:1.16", "command": ["/bin/sleep"], "args": ["3600"]})
    assert run.exit_after == 3600 and run.stop.seconds is None


@pytest.mark.parametrize("script, lines, exit_after, code", [
    ("echo hello; sleep 3 && exit 2 || true", ["hello"], 3.0, 2),
    ("false && echo no || echo yes", ["yes"], 0.0, 0),
    ("true; false", [], 0.0, 1),
    ("echo a; exit 7; echo b", ["a"], 0.0, 7),
    ("for i in 1 2 3; do echo n=$i; sleep 1; done", ["n=1", "n=2", "n=3"], 3.0, 0),
    ("i=0; while [ $i -lt 2 ]; do echo $i; i=$((i+1)); done", ["0", "1"], 0.0, 0),
    ("echo \"$GREETING '$HOSTNAME'\"; echo '$GREETING'", ["hi 'sample-pod'", "$GREETING"], 0.0, 0),
    ("echo hidden > /tmp/x; cat /tmp/x", ["hidden"], 0.0, 0),
    ("set -e; echo a; false; echo b", ["a"], 0.0, 1),
    ("echo 'unterminated", ["sh: syntax error: unterminated quoted string"], 0.0, 2),  # busybox ash
    ("if [ -f /missing ]; then echo yes; else echo no; fi", ["no"], 0.0, 0),
])
def test_sh_c_scripts(script, lines, exit_after, code):
    run = plan({"image": "busybox:1.36", "command": ["sh", "-c", script]},
               env={"GREETING": "hi"})
    assert (texts(run), run.exit_after, run.exit_code) == (lines, exit_after, code)


def test_endless_loops_become_periodic_lines():
    run = plan({"image": "busybox:1.36",
                "command": ["sh", "-c", 'while true; do echo "$(date) tick"; sleep 5; done']})
    assert run.runs_forever and run.stop.seconds is None  # sh as PID 1 ignores SIGTERM
    assert texts(run) == ["Thu Nov 26 10:00:00 UTC 2026 tick"]
    assert (run.periodic.first, run.periodic.interval) == (5.0, 5.0)
    assert run.periodic.lines[0].render(WALL) == "Thu Nov 26 10:00:00 UTC 2026 tick"


def test_a_trap_makes_the_shell_stop_on_sigterm():
    run = plan({"image": "busybox:1.36", "command": [
        "sh", "-c", "trap 'echo bye; sleep 2; exit 0' TERM; echo up; sleep infinity"]})
    assert run.runs_forever and run.stop.seconds == 2.0 and run.stop.exit_code == 0
    assert [line.text for line in run.stop.lines] == ["bye"]


def test_stderr_redirection_and_exec_of_a_server():
    run = plan({"image": "nginx:1.16", "command": [
        "sh", "-c", "echo preparing >&2; exec nginx -g 'daemon off;'"]})
    assert run.runs_forever and run.ports == (80,)
    assert [(line.text, line.stream) for line in run.lines] == [("preparing", "stderr")]
    assert run.stop.seconds is not None  # exec: nginx itself gets the SIGTERM


def test_nginx_without_daemon_off_daemonizes_and_the_container_ends():
    run = plan({"image": "nginx:1.16", "command": ["nginx"]})
    assert (run.exit_code, run.runs_forever) == (0, False)


def test_postgres_without_a_password_refuses_to_start():
    run = plan({"image": "postgres:17"})
    assert run.exit_code == 1
    assert texts(run)[0] == "Error: Database is uninitialized and superuser password is not specified."


def test_a_loop_whose_passes_repeat_becomes_periodic():
    run = plan({"image": "busybox:1.36", "command": ["sh", "-c", "while sleep 5; do echo x; done"]})
    assert run.runs_forever and [(line.at, line.text) for line in run.lines] == [(5.0, "x"), (10.0, "x")]
    assert (run.periodic.first, run.periodic.interval, [line.text for line in run.periodic.lines]) == (
        10.0, 5.0, ["x"])


def test_a_job_in_the_background_keeps_its_own_clock():
    run = plan({"image": "busybox:1.36", "command": [
        "sh", "-c", "(sleep 2; echo late) & echo now; sleep 5; echo end"]})
    assert sorted((line.at, line.text) for line in run.lines) == [(0.0, "now"), (2.0, "late"), (5.0, "end")]
    assert run.exit_after == 5.0


def test_tools_the_sandbox_lacks_are_not_found_as_in_an_exec():
    run = plan({"image": "busybox:1.36", "command": ["sh", "-c", "sed -n 1p /etc/hostname; echo $?"]})
    assert texts(run) == ["sh: sed: not found", "127"]
    assert plan({"image": "busybox:1.36", "command": ["sh", "-c", "/app/server --port 80"]}).runs_forever


def test_the_adapter_reads_what_the_app_appends_to_the_shared_volume():
    spec = yaml.safe_load((SAMPLES / "sample-adapter.yaml").read_text())["spec"]
    app, adapter = spec["containers"]
    written = plan(app)
    assert written.periodic.writes[0].path == "/var/log/app/raw.log" and written.periodic.interval == 5.0
    started_later = -12.0  # the adapter starts 12 s after the app: three lines are there already
    context = PodContext(pod_name="sample-adapter",
                         feeds=feeds(spec, adapter, [(app, written, started_later)]))
    read = plan_container(adapter, lookup_image(adapter["image"]), context)
    assert read.runs_forever
    assert [line.render(WALL) for line in read.lines] == [
        '{"time": 1795687200, "status": 200, "path": "/orders"}'] * 4
    assert [line.at for line in read.lines] == [0.0, 0.0, 0.0, 3.0]  # then one every 5 s
    assert (read.periodic.first, read.periodic.interval) == (8.0, 5.0)
    assert json.loads(read.periodic.lines[0].render(WALL)) == {
        "time": 1795687200, "status": 200, "path": "/orders"}
