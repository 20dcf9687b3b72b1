"""Lay out the root filesystem of a simulated container from its context.

The tree follows the image family: Debian (buster-era split /bin and /usr/bin, or the
merged-/usr layout from bookworm on), busybox (every applet in /bin), Alpine (busybox
symlinks) or distroless (the image's program and nothing else: no shell, no tar). Only programs the simulator implements get an executable file, so a command
either behaves plausibly or is honestly "not found". Optional tool packages (iproute2,
procps) are laid out by `install_package`, which `apt install` also calls.
"""

from __future__ import annotations

import time
from typing import Mapping

from kubetui.localcluster.images.catalogue import ImageInfo, lookup_image
from kubetui.localcluster.sandbox.vfs import FileSystem

IMAGE_BUILT = 1573776000.0  # Nov 15 2019: files that came with the image look old

# program -> (buster-era directory, package that provides it or "" for the base system)
DEBIAN_PROGRAMS: dict[str, tuple[str, str]] = {
    "bash": ("/bin", ""), "dash": ("/bin", ""), "cat": ("/bin", ""), "echo": ("/bin", ""),
    "pwd": ("/bin", ""), "ls": ("/bin", ""), "hostname": ("/bin", ""), "grep": ("/bin", ""),
    "egrep": ("/bin", ""), "fgrep": ("/bin", ""), "sleep": ("/bin", ""), "stty": ("/bin", ""),
    "true": ("/bin", ""), "false": ("/bin", ""), "uname": ("/bin", ""), "date": ("/bin", ""),
    "which": ("/bin", ""), "mkdir": ("/bin", ""), "touch": ("/bin", ""), "rm": ("/bin", ""),
    "rmdir": ("/bin", ""), "cp": ("/bin", ""), "mv": ("/bin", ""), "chmod": ("/bin", ""),
    "ln": ("/bin", ""), "readlink": ("/bin", ""),
    "env": ("/usr/bin", ""), "printenv": ("/usr/bin", ""), "head": ("/usr/bin", ""),
    "tail": ("/usr/bin", ""), "wc": ("/usr/bin", ""), "id": ("/usr/bin", ""),
    "whoami": ("/usr/bin", ""), "clear": ("/usr/bin", ""), "apt": ("/usr/bin", ""),
    "apt-get": ("/usr/bin", ""), "test": ("/usr/bin", ""), "[": ("/usr/bin", ""),
    "printf": ("/usr/bin", ""), "basename": ("/usr/bin", ""), "dirname": ("/usr/bin", ""),
    "seq": ("/usr/bin", ""), "sort": ("/usr/bin", ""), "uniq": ("/usr/bin", ""),
    "tr": ("/usr/bin", ""), "cut": ("/usr/bin", ""), "tee": ("/usr/bin", ""),
    "nproc": ("/usr/bin", ""), "find": ("/usr/bin", ""), "tar": ("/bin", ""),
    "ip": ("/bin", "iproute2"), "ss": ("/bin", "iproute2"),
    "ps": ("/bin", "procps"), "kill": ("/bin", "procps"), "top": ("/usr/bin", "procps"),
    "free": ("/usr/bin", "procps"), "uptime": ("/usr/bin", "procps"),
}
BUSYBOX_APPLETS = (
    "sh", "ash", "cat", "echo", "pwd", "ls", "hostname", "grep", "egrep", "fgrep", "sleep",
    "stty", "true", "false", "uname", "date", "which", "mkdir", "touch", "rm", "rmdir", "cp",
    "mv", "chmod", "ln", "readlink", "env", "printenv", "head", "tail", "wc", "id", "whoami",
    "clear", "test", "[", "printf", "basename", "dirname", "seq", "sort", "uniq", "tr", "cut",
    "tee", "nproc", "ip", "ps", "kill", "top", "free", "uptime", "find", "tar",
)
_ALPINE_USR_BIN = {"env", "printenv", "head", "tail", "wc", "id", "whoami", "clear", "test",
                   "[", "printf", "basename", "dirname", "seq", "sort", "uniq", "tr", "cut",
                   "tee", "nproc", "free", "uptime", "which", "find"}
_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8
_DEBIAN_ETC = {
    "/etc/host.conf": "multi on\n",
    "/etc/nsswitch.conf": "passwd:         files\ngroup:          files\nshadow:         files\n"
                          "hosts:          files dns\nnetworks:       files\n",
    "/etc/ld.so.conf": "include /etc/ld.so.conf.d/*.conf\n",
    "/etc/issue": "Debian GNU/Linux \\n \\l\n\n",
    "/etc/profile": "# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))\n"
                    "if [ \"$(id -u)\" -eq 0 ]; then\n  PATH=\"/usr/local/sbin:/usr/local/bin:"
                    "/usr/sbin:/usr/bin:/sbin:/bin\"\nfi\nexport PATH\n",
    "/etc/bash.bashrc": "# System-wide .bashrc file for interactive bash(1) shells.\n"
                        "PS1='${debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ '\n",
    "/etc/timezone": "Etc/UTC\n",
}


def visible_containers(context: Mapping) -> tuple[str, ...]:
    """Whose processes an exec sees without a shared namespace: its container's, and the
    target's for a debug container."""
    return (context.get("container", ""), context.get("target_container") or "")


def _passwd(image: ImageInfo) -> str:
    if image.family != "debian":
        base = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
        return base + "nobody:x:65534:65534:nobody:/home:/bin/false\n"
    base = ("root:x:0:0:root:/root:/bin/bash\n"
            "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
            "bin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\n"
            "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
    for name, uid in image.users:
        base += f"{name}:x:{uid}:{uid}:{name} user:/nonexistent:/bin/false\n"
    return base


def _os_release(image: ImageInfo) -> str:
    if image.family == "busybox":
        return ""
    if image.family == "alpine":
        return (f'NAME="Alpine Linux"\nID=alpine\nVERSION_ID={image.os_release}.3\n'
                f'PRETTY_NAME="Alpine Linux v{image.os_release}"\n'
                'HOME_URL="https://alpinelinux.org/"\n')
    if image.os_release == "noble":
        return ('PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\n'
                'VERSION="24.04.1 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\n'
                'ID_LIKE=debian\n')
    number = {"stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12"}.get(
        image.os_release, "12")
    return (f'PRETTY_NAME="Debian GNU/Linux {number} ({image.os_release})"\n'
            f'NAME="Debian GNU/Linux"\nVERSION_ID="{number}"\n'
            f'VERSION="{number} ({image.os_release})"\nVERSION_CODENAME={image.os_release}\n'
            'ID=debian\nHOME_URL="https://www.debian.org/"\n'
            'SUPPORT_URL="https://www.debian.org/support"\n'
            'BUG_REPORT_URL="https://bugs.debian.org/"\n')


def usr_merged(image: ImageInfo) -> bool:
    return image.family == "debian" and image.os_release in ("bookworm", "trixie", "noble")


def program_path(image: ImageInfo, program: str) -> str:
    directory = DEBIAN_PROGRAMS[program][0]
    if usr_merged(image) and not directory.startswith("/usr"):
        directory = "/usr" + directory
    return f"{directory}/{program}"


def install_package(fs: FileSystem, image: ImageInfo, package: str,
                    mtime: float | None = None) -> None:
    for program, (_, provider) in DEBIAN_PROGRAMS.items():
        if provider == package:
            fs.add_file(program_path(image, program), _ELF, 0o755, program=program, mtime=mtime)
    if package == "iproute2" and not usr_merged(image):
        fs.add_link("/sbin/ip", "/bin/ip", mtime=mtime)


def _debian_tree(fs: FileSystem, image: ImageInfo) -> None:
    merged = usr_merged(image)
    for name in ("boot", "dev", "etc", "home", "media", "mnt", "opt", "proc", "root", "run",
                 "srv", "sys", "tmp", "usr/bin", "usr/sbin", "usr/lib", "usr/local/bin",
                 "usr/share", "var/lib", "var/log", "var/cache", "var/tmp"):
        fs.add_dir("/" + name, mtime=IMAGE_BUILT)
    if merged:
        for name in ("bin", "lib", "lib64", "sbin"):
            fs.add_dir("/usr/" + name, mtime=IMAGE_BUILT)
            fs.add_link("/" + name, "usr/" + name, mtime=IMAGE_BUILT)
    else:
        for name in ("bin", "lib", "lib64", "sbin"):
            fs.add_dir("/" + name, mtime=IMAGE_BUILT)
    fs.add_dir("/lib/x86_64-linux-gnu", mtime=IMAGE_BUILT)
    for program, (_, provider) in DEBIAN_PROGRAMS.items():
        if not provider:
            fs.add_file(program_path(image, program), _ELF, 0o755, program=program,
                        mtime=IMAGE_BUILT)
    bin_dir = "/usr/bin" if merged else "/bin"
    fs.add_link(f"{bin_dir}/sh", "dash", mtime=IMAGE_BUILT)
    for package in sorted(image.packages):
        install_package(fs, image, package, IMAGE_BUILT)
    if image.daemon == "nginx":
        fs.add_file("/usr/sbin/nginx", _ELF, 0o755, program="nginx",
                    mtime=IMAGE_BUILT)
    fs.add_file("/etc/debian_version", {"stretch": "9.13\n", "buster": "10.13\n"}.get(
        image.os_release, "12.8\n"), mtime=IMAGE_BUILT)
    fs.add_file("/etc/shells", "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n"
                "/usr/bin/bash\n/bin/dash\n/usr/bin/dash\n", mtime=IMAGE_BUILT)
    fs.add_file("/root/.bashrc", "# ~/.bashrc: executed by bash(1) for non-login shells.\n"
                "\n# export LS_OPTIONS='--color=auto'\n", mtime=IMAGE_BUILT)
    fs.add_file("/root/.profile", "# ~/.profile: executed by Bourne-compatible login shells."
                "\n\nif [ \"$BASH\" ]; then\n  if [ -f ~/.bashrc ]; then\n    . ~/.bashrc\n"
                "  fi\nfi\n\nmesg n 2> /dev/null || true\n", mtime=IMAGE_BUILT)
    for path, content in _DEBIAN_ETC.items():
        fs.add_file(path, content, mtime=IMAGE_BUILT)
    fs.add_dir("/var/lib/apt/lists", mtime=IMAGE_BUILT)
    fs.add_dir("/var/lib/dpkg", mtime=IMAGE_BUILT)


def _busybox_tree(fs: FileSystem, image: ImageInfo) -> None:
    alpine = image.family == "alpine"
    names = ("bin", "dev", "etc", "home", "lib", "proc", "root", "sys", "tmp", "usr/bin",
             "usr/sbin", "var") + (("media", "mnt", "opt", "run", "sbin", "srv", "usr/lib",
                                    "usr/local/bin", "var/cache", "var/log") if alpine
                                   else ("lib64", "usr/sbin", "var/spool", "var/www"))
    for name in names:
        fs.add_dir("/" + name, mtime=IMAGE_BUILT)
    fs.add_file("/bin/busybox", _ELF, 0o755, program="busybox", mtime=IMAGE_BUILT)
    for applet in BUSYBOX_APPLETS:
        directory = "/usr/bin" if alpine and applet in _ALPINE_USR_BIN else "/bin"
        if alpine:
            fs.add_link(f"{directory}/{applet}", "/bin/busybox", mtime=IMAGE_BUILT)
        else:  # the busybox image hard-links every applet
            fs.add_file(f"/bin/{applet}", _ELF, 0o755, program="busybox", mtime=IMAGE_BUILT)
    if alpine:
        fs.add_file("/etc/alpine-release", f"{image.os_release}.3\n", mtime=IMAGE_BUILT)
        fs.add_file("/etc/shells", "# valid login shells\n/bin/sh\n/bin/ash\n",
                    mtime=IMAGE_BUILT)


def _distroless_tree(fs: FileSystem, image: ImageInfo) -> None:
    """A distroless image: its program, CA certificates and passwd; no shell, no tools."""
    for name in ("dev", "etc/ssl/certs", "home/nonroot", "proc", "root", "sys", "tmp", "var"):
        fs.add_dir("/" + name, mtime=IMAGE_BUILT)
    for path in image.entrypoint:
        fs.add_file(path, _ELF, 0o755, program=image.daemon, mtime=IMAGE_BUILT)
    fs.add_file("/etc/ssl/certs/ca-certificates.crt", "", mtime=IMAGE_BUILT)


def _proc(fs: FileSystem, context: dict) -> None:
    fs.add_file("/proc/version", "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)"
                " (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1"
                " (2024-02-01)\n", read_only=True)
    fs.add_file("/proc/loadavg", "0.08 0.12 0.10 2/211 42\n", read_only=True)
    fs.add_file("/proc/uptime", "183240.52 361872.10\n", read_only=True)
    fs.add_file("/proc/meminfo", "MemTotal:        8152576 kB\nMemFree:         3195288 kB\n"
                "MemAvailable:    6299748 kB\nBuffers:          212632 kB\n"
                "Cached:          3004580 kB\nSwapTotal:             0 kB\n"
                "SwapFree:              0 kB\n", read_only=True)
    fs.add_file("/proc/cpuinfo", "".join(
        f"processor\t: {n}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU\n"
        "cpu MHz\t\t: 2199.998\ncpu cores\t: 2\n\n" for n in range(2)), read_only=True)
    for process in context.get("processes", []):
        if context.get("share_process_namespace") or process["container"] in visible_containers(context):
            base = f"/proc/{process['pid']}"
            fs.add_file(f"{base}/cmdline", process["command"].replace(" ", "\0") + "\0",
                        read_only=True)
            fs.add_file(f"{base}/comm", process["comm"] + "\n", read_only=True)
    fs.lookup("/proc").read_only = True


def _mounts(fs: FileSystem, context: dict) -> None:
    for mount in context.get("mounts", []):
        path = mount["path"]
        if "file" in mount:
            fs.add_file(path, mount["file"], read_only=mount.get("read_only", False))
            continue
        fs.add_dir(path)
        node = fs.lookup(path)
        node.children.clear()  # a mount hides what the image had there
        mtimes = mount.get("mtimes", {})
        for relative, content in sorted(mount.get("files", {}).items()):
            fs.add_file(f"{path.rstrip('/')}/{relative}", content, read_only=mount["read_only"],
                        mtime=mtimes.get(relative))
        node.read_only = bool(mount.get("read_only"))


def build_rootfs(context: dict, now: float | None = None) -> FileSystem:
    """A fresh in-memory tree for one exec; writes to it never leave the process."""
    image = lookup_image(context.get("image", ""))
    fs = FileSystem(now=time.time() if now is None else now)
    if image.family == "debian":
        _debian_tree(fs, image)
    elif image.family == "distroless":
        _distroless_tree(fs, image)
    else:
        _busybox_tree(fs, image)
    fs.lookup("/tmp").mode = 0o1777
    fs.lookup("/root").mode = 0o700
    fs.add_file("/etc/passwd", _passwd(image), mtime=IMAGE_BUILT)
    fs.add_file("/etc/group", "root:x:0:\n" + "".join(f"{n}:x:{u}:\n" for n, u in image.users),
                mtime=IMAGE_BUILT)
    release = _os_release(image)
    if release:
        fs.add_file("/etc/os-release", release, mtime=IMAGE_BUILT)
    for path, content in image.files:
        if path.endswith("/"):
            fs.add_dir(path, mtime=IMAGE_BUILT)
        else:
            fs.add_file(path, content, mtime=IMAGE_BUILT)
    for path, content in context.get("files", {}).items():
        fs.add_file(path, content)
    for device in ("null", "zero", "tty", "random", "urandom"):
        fs.add_file(f"/dev/{device}", b"", 0o666)
    _proc(fs, context)
    fs.add_dir(context.get("working_dir") or "/")  # the runtime creates a missing workingDir
    _mounts(fs, context)
    return fs
