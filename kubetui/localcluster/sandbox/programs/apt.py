"""apt / apt-get for the packages the simulator can actually provide (iproute2, procps).

The transcript imitates Debian's (package lists, the dependency block, Get:/Unpacking/
Setting up lines) so the notes' `apt update && apt -y install iproute2 procps` reads as it
would. As in a fresh image, nothing can be installed before `apt update`. Installing lays
the package's programs into this session's in-memory filesystem; nothing is downloaded.
"""

from __future__ import annotations

from kubetui.localcluster.sandbox.rootfs import install_package
from kubetui.localcluster.sandbox.system import Invocation, program
from kubetui.localcluster.sandbox.vfs import FsError

_MIRRORS = {"stretch": ("http://archive.debian.org/debian", "stretch"),
            "buster": ("http://deb.debian.org/debian", "buster"),
            "noble": ("http://archive.ubuntu.com/ubuntu", "noble")}
# release -> package -> (version, extra dependencies newly installed with it, size kB)
_PACKAGES = {
    "buster": {"iproute2": ("4.20.0-2+deb10u1", ["libatm1", "libelf1", "libmnl0",
                                                 "libxtables12"], 827),
               "procps": ("2:3.3.15-2", ["libgpm2", "libncurses6", "libprocps7", "lsb-base",
                                         "psmisc"], 259)},
    "stretch": {"iproute2": ("4.9.0-1+deb9u1", ["libatm1", "libelf1", "libmnl0"], 669),
                "procps": ("2:3.3.12-3+deb9u1", ["libprocps6", "lsb-base", "psmisc"], 250)},
    "bookworm": {"iproute2": ("6.1.0-3", ["libbpf1", "libcap2-bin", "libelf1", "libmnl0",
                                          "libxtables12"], 1043),
                 "procps": ("2:4.0.2-3", ["libgpm2", "libncursesw6", "libproc2-0", "psmisc"],
                            709)},
}
_SIMULATED = ("iproute2", "procps")
_LISTS = "/var/lib/apt/lists"
_STATUS = "/var/lib/dpkg/status"
_DEPENDENCY_VERSIONS = {
    "libatm1": "1:2.5.1-2", "libelf1": "0.176-1.1", "libmnl0": "1.0.4-2",
    "libxtables12": "1.8.2-4", "libgpm2": "1.20.7-5", "libncurses6": "6.1+20181013-2+deb10u2",
    "libprocps7": "2:3.3.15-2", "lsb-base": "10.2019051400", "psmisc": "23.2-1",
    "libprocps6": "2:3.3.12-3+deb9u1", "libbpf1": "1:1.1.0-1", "libcap2-bin": "1:2.66-4",
    "libncursesw6": "6.4-4", "libproc2-0": "2:4.0.2-3",
}


def _updated(inv: Invocation) -> bool:
    """`apt update` has fetched the package lists (they stay in the container's layer)."""
    try:
        return bool(inv.fs.listdir(_LISTS))
    except FsError:
        return False


def _installed(inv: Invocation) -> set[str]:
    """Packages dpkg recorded as installed in this container."""
    try:
        status = inv.fs.read(_STATUS).decode("utf-8", "replace")
    except FsError:
        return set()
    return {line.split(":", 1)[1].strip() for line in status.splitlines() if line.startswith("Package:")}


def _version(catalogue: dict, name: str) -> str:
    return catalogue[name][0] if name in catalogue else _DEPENDENCY_VERSIONS.get(name, "1.0-1")


def _pause(inv: Invocation, seconds: float) -> None:
    inv.system.host.sleep(seconds, inv.pid)  # a short pause so the transcript scrolls like apt's


def _cli_warning(inv: Invocation) -> None:
    if inv.name == "apt" and not inv.io.stdout.isatty():
        inv.err("\nWARNING: apt does not have a stable CLI interface. "
                "Use with caution in scripts.\n\n")


def _update(inv: Invocation, release: str) -> int:
    mirror, suite = _MIRRORS.get(release, ("http://deb.debian.org/debian", release))
    security = "http://deb.debian.org/debian-security"
    updates = "/updates" if release in ("stretch", "buster") else "-security"
    lines = [f"Get:1 {mirror} {suite} InRelease [122 kB]",
             f"Get:2 {security} {suite}{updates} InRelease [34.8 kB]",
             f"Get:3 {mirror} {suite}-updates InRelease [56.6 kB]",
             f"Get:4 {mirror} {suite}/main amd64 Packages [7909 kB]",
             f"Get:5 {security} {suite}/updates/main amd64 Packages [610 kB]",
             f"Get:6 {mirror} {suite}-updates/main amd64 Packages [8788 B]",
             "Fetched 8741 kB in 2s (4218 kB/s)"]
    for line in lines:
        inv.out(line + "\n")
        _pause(inv, 0.05)
    inv.out("Reading package lists... Done\n")
    if inv.name == "apt":
        inv.out("Building dependency tree       \nReading state information... Done\n"
                "All packages are up to date.\n")
    for name in (f"{mirror.split('//')[1].replace('/', '_')}_dists_{suite}_InRelease",
                 f"{mirror.split('//')[1].replace('/', '_')}_dists_{suite}_main_binary-amd64_Packages.lz4"):
        inv.fs.write(f"{_LISTS}/{name}", b"")
    inv.system.burn_pids(12)
    return 0


def _install(inv: Invocation, release: str, names: list[str], assume_yes: bool) -> int:
    catalogue = _PACKAGES.get(release, _PACKAGES["bookworm"])
    inv.out("Reading package lists... Done\nBuilding dependency tree       \n"
            "Reading state information... Done\n")
    present = set(inv.system.image.packages) | _installed(inv)
    updated = _updated(inv)
    wanted = []
    for name in names:
        if name in present:
            inv.out(f"{name} is already the newest version ({catalogue[name][0]}).\n")
        elif not updated or (name not in catalogue and name not in _SIMULATED):
            if updated:
                inv.err(f"E: Package '{name}' is not available in kubetui's simulated container"
                        f" (only {' and '.join(_SIMULATED)} can be installed)\n")
            else:
                inv.err(f"E: Unable to locate package {name}\n")
            return 100
        else:
            wanted.append(name)
    if not wanted:
        inv.out("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n")
        return 0
    extras = sorted({dep for name in wanted for dep in catalogue[name][1]})
    everything = sorted(set(wanted) | set(extras))
    size = sum(catalogue[name][2] for name in wanted) + 60 * len(extras)
    if extras:
        inv.out("The following additional packages will be installed:\n  " + " ".join(extras)
                + "\n")
    inv.out("The following NEW packages will be installed:\n  " + " ".join(everything) + "\n"
            f"0 upgraded, {len(everything)} newly installed, 0 to remove and 0 not upgraded.\n"
            f"Need to get {size:,} kB of archives.\n"
            f"After this operation, {size * 3:,} kB of additional disk space will be used.\n")
    if not assume_yes:
        inv.out("Do you want to continue? [Y/n] ")
        answer = inv.io.stdin.readline()
        if not answer or answer.strip().lower() not in ("", "y", "yes"):
            inv.out("Abort.\n")
            return 1
    mirror, suite = _MIRRORS.get(release, ("http://deb.debian.org/debian", release))
    for index, name in enumerate(everything, start=1):
        version = _version(catalogue, name)
        size_kb = 60 if name in extras else catalogue[name][2]
        inv.out(f"Get:{index} {mirror} {suite}/main amd64 {name} amd64 {version} [{size_kb} kB]\n")
        _pause(inv, 0.03)
    inv.out(f"Fetched {size:,} kB in 0s ({size * 5:,} kB/s)\n"
            "debconf: delaying package configuration, since apt-utils is not installed\n")
    for name in everything:
        version = _version(catalogue, name)
        inv.out(f"Selecting previously unselected package {name}:amd64.\n"
                f"Preparing to unpack .../{name}_{version.split(':')[-1]}_amd64.deb ...\n"
                f"Unpacking {name}:amd64 ({version}) ...\n")
        _pause(inv, 0.02)
    for name in everything:
        version = _version(catalogue, name)
        inv.out(f"Setting up {name}:amd64 ({version}) ...\n")
        if name in _SIMULATED:
            install_package(inv.fs, inv.system.image, name)
        inv.fs.write(_STATUS, f"Package: {name}\nStatus: install ok installed\nVersion: {version}\n\n"
                     .encode(), append=True)
    inv.out("Processing triggers for libc-bin ...\n")
    inv.system.burn_pids(180)
    return 0


@program("apt", "apt-get")
def apt(inv: Invocation) -> int:
    args = inv.argv[1:]
    options = [a for a in args if a.startswith("-")]
    words = [a for a in args if not a.startswith("-")]
    if not words:
        inv.out("apt 1.8.2.3 (amd64)\nUsage: apt [options] command\n")
        return 1
    release = inv.system.image.os_release
    _cli_warning(inv)
    command, names = words[0], words[1:]
    if command == "update":
        return _update(inv, release)
    if command == "install":
        if not names:
            inv.out("Reading package lists... Done\nBuilding dependency tree       \n"
                    "Reading state information... Done\n"
                    "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n")
            return 0
        yes = any(o in ("-y", "--yes", "--assume-yes", "-qy", "-yq") for o in options)
        return _install(inv, release, names, yes)
    if command in ("upgrade", "clean", "autoremove", "autoclean"):
        inv.out("Reading package lists... Done\n")
        return 0
    inv.err(f"E: Invalid operation {command}\n")
    return 100
