"""The simulated shell on a real pty: prompts, Ctrl-C, window size, full-screen top."""

from __future__ import annotations

import pytest

from tests.localcluster.exec_support import PtySession, as_running, simshell_argv, write_context
from tests.support.pods import container, pod_manifest

NGINX = container("nginx-container", "nginx:1.16")
REDIS = container("redis-container", "redis:3.2")


@pytest.fixture
def shell(tmp_path):
    sessions = []

    def start(manifest: dict, container: str, *argv: str, rows: int = 24,
              cols: int = 80) -> PtySession:
        session = PtySession(simshell_argv(write_context(tmp_path, as_running(manifest), container), *argv),
                             rows=rows, cols=cols)
        sessions.append(session)
        return session
    yield start
    for session in sessions:
        session.close()


def test_bash_prompt_follows_the_working_directory_and_exit_sets_the_status(shell):
    session = shell(pod_manifest("sample-pod", NGINX), "nginx-container", "/bin/bash")
    session.expect("root@sample-pod:/# ")
    session.line("cd /usr/share/nginx && pwd")
    session.expect("/usr/share/nginx\r\nroot@sample-pod:/usr/share/nginx# ")
    session.line("cd; foo")
    session.expect("bash: foo: command not found\r\nroot@sample-pod:~# ")
    session.line("exit 5")
    session.expect("exit\r\n")
    assert session.wait() == 5


def test_ctrl_c_abandons_the_line_and_interrupts_a_command(shell):
    session = shell(pod_manifest("sample-pod", NGINX), "nginx-container", "/bin/bash")
    session.expect("# ")
    session.send("echo never")
    session.send("\x03")
    session.expect("^C\r\nroot@sample-pod:/# ")
    session.line("sleep 600")
    session.expect("sleep 600\r\n")
    session.send("\x03")
    session.expect("^C\r\nroot@sample-pod:/# ", timeout=10)
    session.line("echo status=$?")
    session.expect("status=130")


def test_stty_size_follows_the_terminal(shell):
    session = shell(pod_manifest("sample-pod", NGINX), "nginx-container", "/bin/bash", rows=24, cols=80)
    session.expect("# ")
    session.line("stty size")
    session.expect("24 80\r\n")
    session.resize(41, 132)
    session.line("stty size")
    session.expect("41 132\r\n")


def test_ls_lays_out_columns_for_the_terminal_width(shell):
    session = shell(pod_manifest("sample-pod", NGINX), "nginx-container", "/bin/ls", "--all",
                    "--classify", cols=80)
    assert session.wait() == 0
    assert session.transcript.decode().splitlines() == [
        "./   bin/   dev/  home/  lib64/  mnt/  proc/  run/   srv/  tmp/  var/",
        "../  boot/  etc/  lib/   media/  opt/  root/  sbin/  sys/  usr/"]


def test_top_uses_the_alternate_screen_redraws_on_resize_and_quits_on_q(shell):
    session = shell(pod_manifest("sample-2pod", NGINX, REDIS), "redis-container", "/bin/bash",
                    cols=100)
    session.expect("# ")
    session.line("top")
    session.expect("\x1b[?1049h")
    session.expect("\x1b[7m    PID USER ")
    session.expect("redis-server")
    session.resize(30, 50)
    session.expect("\x1b[7m" + "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU"[:50]
                   + "\x1b[m")
    session.send("q")
    session.expect("\x1b[?1049l")
    session.expect("root@sample-2pod:/data# ")


def test_busybox_and_dash_prompts_and_messages(shell):
    busybox = shell(pod_manifest("bb", container("bb", "busybox", ["sleep", "1d"])),
                    "bb", "sh")
    busybox.expect("/ # ")
    busybox.line("cd /tmp; nope")
    busybox.expect("sh: nope: not found\r\n/tmp # ")
    dash = shell(pod_manifest("sample-pod", NGINX), "nginx-container", "/bin/sh")
    dash.expect("# ")
    dash.line("true")
    dash.line("nope")
    dash.expect("/bin/sh: 2: nope: not found\r\n# ")
