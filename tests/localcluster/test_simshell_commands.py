"""The simulated shell run as its own process with pipes (no terminal): commands, language,
error wording and exit codes, per image."""

from __future__ import annotations

import subprocess

import pytest

from tests.localcluster.exec_support import as_running, simshell_argv, write_context
from tests.support.pods import container, pod_manifest

NGINX = container("nginx-container", "nginx:1.16")
REDIS = container("redis-container", "redis:3.2")


@pytest.fixture(scope="module")
def contexts(tmp_path_factory):
    directory = tmp_path_factory.mktemp("contexts")
    return {
        "nginx": write_context(directory, as_running(pod_manifest(
            "sample-pod", NGINX, hostAliases=[{"ip": "8.8.8.8", "hostnames": ["google-dns"]}]),
            "10.244.1.5"), "nginx-container"),
        "redis": write_context(directory, as_running(pod_manifest("sample-2pod", NGINX, REDIS), "10.244.1.6"),
                               "redis-container"),
        "busybox": write_context(directory, as_running(pod_manifest(
            "bb", container("bb", "busybox:1.36", ["sleep", "3600"])), "10.244.1.7"), "bb"),
        "workdir": write_context(directory, as_running(pod_manifest(
            "sample-workingdir", {**NGINX, "workingDir": "/tmp"}), "10.244.1.8"), "nginx-container"),
    }


def run(contexts, image: str, *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(simshell_argv(contexts[image], *argv), input=stdin,
                          capture_output=True, text=True, timeout=30)


def sh(contexts, image: str, script: str, shell: str = "/bin/sh") -> subprocess.CompletedProcess:
    return run(contexts, image, shell, "-c", script)


@pytest.mark.parametrize("script, stdout", [
    pytest.param("echo hi; exit 3", "hi\n", id="exit-status"),
    pytest.param("x=world; echo \"hello $x\" 'single $x' ${x}s", "hello world single $x worlds\n",
                 id="quoting"),
    pytest.param("echo a\\ b \"c\\\"d\"", "a b c\"d\n", id="backslashes"),
    pytest.param("false || echo or; true && echo and; false; echo $?", "or\nand\n1\n",
                 id="and-or-status"),
    pytest.param("echo one two | wc -w", "2\n", id="pipe"),
    pytest.param("echo $((6 * 7)) $(echo sub) `echo tick`", "42 sub tick\n", id="substitution"),
    pytest.param("for i in 1 2; do echo n$i; done; if [ -d /tmp ]; then echo dir; fi",
                 "n1\nn2\ndir\n", id="for-if"),
    pytest.param("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i", "3\n", id="while"),
    pytest.param("echo x > /tmp/f; echo y >> /tmp/f; cat /tmp/f; wc -l < /tmp/f",
                 "x\ny\n2\n", id="redirections"),
    pytest.param("ls /nope 2>&1 | head -n 1", "ls: cannot access '/nope': No such file or "
                 "directory\n", id="stderr-into-pipe"),
    pytest.param("cat <<EOF\nhost $HOSTNAME\nEOF", "host sample-pod\n", id="heredoc"),
    pytest.param("sh -c 'exit 4'; echo $?", "4\n", id="nested-sh"),
    pytest.param("echo -e 'a\\tb'", "-e a\tb\n", id="dash-echo-has-no-e"),
    pytest.param("cd /usr/share/nginx/html && pwd && ls", "/usr/share/nginx/html\n50x.html\n"
                 "index.html\n", id="cd-ls"),
    pytest.param("printf '%s=%d\\n' a 1 b 2", "a=1\nb=2\n", id="printf"),
    pytest.param("grep -c localhost /etc/hosts; grep -E '^(8|10)\\.' /etc/hosts",
                 "2\n10.244.1.5\tsample-pod\n8.8.8.8\tgoogle-dns\n", id="grep"),
    pytest.param("head -n 2 /etc/hosts | tail -n 1", "127.0.0.1\tlocalhost\n", id="head-tail"),
    pytest.param("mkdir -p /tmp/a/b && touch /tmp/a/b/f && ls /tmp/a/b && rm -r /tmp/a && "
                 "ls /tmp", "f\n", id="mkdir-touch-rm"),
    pytest.param("id; whoami; hostname; uname -s", "uid=0(root) gid=0(root) groups=0(root)\n"
                 "root\nsample-pod\nLinux\n", id="identity"),
    pytest.param("which ls sh; test -f /etc/hosts && echo file", "/bin/ls\n/bin/sh\nfile\n",
                 id="which-test"),
])
def test_shell_language_and_core_programs(contexts, script, stdout):
    result = sh(contexts, "nginx", script)
    assert result.stdout == stdout, result.stderr


@pytest.mark.parametrize("script, stdout", [
    pytest.param("echo {a,b}x {1..3} '{q,r}'", "ax bx 1 2 3 {q,r}\n", id="brace-expansion"),
    pytest.param('read x <<< "hi there"; echo $x', "hi there\n", id="here-string"),
    pytest.param("ls /nope |& wc -l", "1\n", id="pipe-stderr"),
    pytest.param("find / -name '*.conf' -type f | grep nginx", "/etc/nginx/conf.d/default.conf\n"
                 "/etc/nginx/nginx.conf\n", id="find"),
    pytest.param("echo -e 'a\\tb'; echo $SHLVL", "a\tb\n1\n", id="bash-echo"),
])
def test_bash_only_features(contexts, script, stdout):
    result = sh(contexts, "nginx", script, "/bin/bash")
    assert result.stdout == stdout, result.stderr


def test_unsimulated_constructs_are_named_not_misparsed(contexts):
    result = sh(contexts, "nginx", "case x in x) echo y;; esac", "bash")
    assert result.returncode == 2
    assert result.stderr == "bash: case: not supported by kubetui's simulated shell\n"


def test_exit_code_of_the_command_string(contexts):
    assert sh(contexts, "nginx", "echo hi; exit 3").returncode == 3
    assert sh(contexts, "nginx", "true").returncode == 0


@pytest.mark.parametrize("image, shell, expected", [
    ("nginx", "/bin/sh", "/bin/sh: 1: foo: not found\n"),
    ("nginx", "/bin/bash", "/bin/bash: foo: command not found\n"),
    ("busybox", "sh", "sh: foo: not found\n"),
])
def test_unknown_commands_are_reported_as_each_shell_does(contexts, image, shell, expected):
    result = sh(contexts, image, "foo", shell)
    assert (result.returncode, result.stderr) == (127, expected)


def test_syntax_errors_are_reported_with_status_2(contexts):
    result = sh(contexts, "nginx", "echo (")
    assert result.returncode == 2
    assert result.stderr == '/bin/sh: 1: Syntax error: "(" unexpected\n'
    bash = sh(contexts, "nginx", "if true; then", "bash")
    assert bash.returncode == 2 and "unexpected end of file" in bash.stderr


def test_ls_all_classify_prints_one_name_per_line_into_a_pipe(contexts):
    result = run(contexts, "nginx", "/bin/ls", "--all", "--classify")
    names = result.stdout.split("\n")[:-1]
    assert names[:4] == ["./", "../", "bin/", "boot/"]
    assert {"lib/", "lib64/", "usr/", "tmp/", "proc/"} <= set(names)
    grep = run(contexts, "nginx", "/bin/bash", "-c", "ls --all --classify | grep lib")
    assert grep.stdout == "lib/\nlib64/\n"


def test_working_dir_is_where_the_exec_starts(contexts):
    assert run(contexts, "workdir", "pwd").stdout == "/tmp\n"
    assert run(contexts, "redis", "pwd").stdout == "/data\n"


def test_hosts_file_has_the_host_aliases(contexts):
    hosts = run(contexts, "nginx", "cat", "/etc/hosts").stdout
    assert "8.8.8.8\tgoogle-dns\n" in hosts and "10.244.1.5\tsample-pod\n" in hosts


def test_nginx_lacks_network_tools_until_apt_installs_them(contexts):
    missing = sh(contexts, "nginx", "ip a", "/bin/bash")
    assert (missing.returncode, missing.stderr) == (127, "/bin/bash: ip: command not found\n")
    too_early = sh(contexts, "nginx", "apt-get -y install iproute2")
    assert too_early.returncode == 100
    assert "E: Unable to locate package iproute2" in too_early.stderr
    session = sh(contexts, "nginx", 'apt update && apt -y install iproute2 procps && '
                 'ip a | grep "inet " && ss -napt | grep LISTEN && ps aux')
    assert session.returncode == 0, session.stderr
    out = session.stdout
    assert "Setting up iproute2:amd64" in out and "Setting up procps:amd64" in out
    assert "    inet 127.0.0.1/8 scope host lo\n" in out
    assert "    inet 10.244.1.5/24 brd 10.244.1.255 scope global eth0\n" in out
    assert "0.0.0.0:80" in out and 'users:(("nginx",pid=1,fd=6))' in out
    assert "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n" in out
    assert "nginx: master process nginx -g daemon off;" in out
    assert "WARNING: apt does not have a stable CLI interface" in session.stderr


def test_ss_in_one_container_sees_the_whole_pods_sockets(contexts):
    result = run(contexts, "redis", "ss", "-napt")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["State", "Recv-Q", "Send-Q", "Local", "Address:Port", "Peer",
                                "Address:PortProcess"]
    listening = [line for line in lines if line.startswith("LISTEN")]
    assert any(":80 " in line for line in listening)
    assert any(":6379 " in line and '("redis-server",pid=1,fd=5)' in line
               for line in listening)
    # nginx runs in the other container: its socket is visible, its process is not
    assert not any("nginx" in line for line in listening)
    assert run(contexts, "redis", "ss", "-tlnp").stdout.splitlines()[0].startswith("Recv-Q")


def test_ps_shows_only_the_containers_own_processes(contexts):
    result = run(contexts, "redis", "ps", "aux")
    commands = [line.split(None, 10)[10] for line in result.stdout.splitlines()[1:]]
    assert commands == ["redis-server *:6379", "ps aux"]
    busybox = run(contexts, "busybox", "ps")
    assert busybox.stdout.splitlines()[:2] == ["PID   USER     TIME  COMMAND",
                                               "    1 root      0:00 sleep 3600"]


def test_busybox_has_no_bash_and_its_own_prompt_free_stdin_mode(contexts):
    assert run(contexts, "busybox", "/bin/bash").returncode == 127
    result = run(contexts, "busybox", "sh", stdin="echo from-stdin\ncd /nope\necho $?\n")
    assert result.stdout == "from-stdin\n2\n"
    assert result.stderr == "sh: cd: can't cd to /nope: No such file or directory\n"


def test_writes_stay_inside_the_process(contexts, tmp_path):
    marker = tmp_path / "never-written"
    result = sh(contexts, "nginx", f"mkdir -p {tmp_path} && echo x > {marker}; cat {marker}")
    assert result.stdout == "x\n" and not marker.exists()
    assert run(contexts, "nginx", "cat", str(marker)).returncode == 1


def test_stty_without_a_terminal_fails_like_coreutils(contexts):
    result = run(contexts, "nginx", "stty", "size")
    assert result.returncode == 1
    assert result.stderr == "stty: 'standard input': Inappropriate ioctl for device\n"


def test_a_broken_context_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = subprocess.run(simshell_argv(bad, "ls"), capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2
    assert result.stderr.startswith("sh: cannot read the exec context:")
    assert "Traceback" not in result.stderr


_AUDIT = r"""
import json, os, sys
allowed = tuple(p for p in {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix),
                            sys.argv[1]} if p)
context = os.path.realpath(sys.argv[2])
own = f"/proc/{os.getpid()}/statm"  # its own size, read once to set its memory bound
seen = []
FORBIDDEN = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork",
             "os.spawn", "socket.", "os.remove", "os.unlink", "os.rename", "os.mkdir",
             "os.rmdir", "os.chmod", "os.chdir", "shutil.")

def hook(event, args):
    if event == "open" and isinstance(args[0], str):
        path = os.path.realpath(args[0])
        if path not in (context, own) and not path.startswith(allowed):
            seen.append(f"open {path}")
    elif event.startswith(FORBIDDEN):
        seen.append(event)

sys.addaudithook(hook)
from kubetui.localcluster.shell.__main__ import main
code = main(["--context", sys.argv[2], "--", *sys.argv[3:]])
os.write(2, ("AUDIT " + json.dumps(seen) + "\n").encode())
sys.exit(code)
"""


def test_the_shell_never_touches_host_files_processes_or_network(contexts, tmp_path):
    import json
    import sys
    from pathlib import Path

    import kubetui

    package = str(Path(kubetui.__file__).resolve().parents[1])
    script = ("echo x > /tmp/f; cat /tmp/f /etc/passwd > /dev/null; rm /tmp/f; mkdir -p /a/b; "
              f"ls -la / /proc > /dev/null; cd /a; touch {tmp_path}/x 2>/dev/null; "
              "apt-get update > /dev/null; apt-get -y install procps > /dev/null; "
              "ps aux > /dev/null; sh -c 'exit 0'; sleep 0; kill 1 2> /dev/null; true")
    result = subprocess.run([sys.executable, "-c", _AUDIT, package, str(contexts["nginx"]),
                             "/bin/bash", "-c", script], capture_output=True, text=True,
                            timeout=60)
    audit = [line for line in result.stderr.splitlines() if line.startswith("AUDIT ")]
    assert result.returncode == 0, result.stderr
    assert json.loads(audit[-1][6:]) == []
