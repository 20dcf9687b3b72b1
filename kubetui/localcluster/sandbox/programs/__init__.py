"""The simulated programs. Importing this package registers every one of them (the shells
are the shell package's own, registered by kubetui.localcluster.shell.programs)."""

from kubetui.localcluster.sandbox.programs import (  # noqa: F401
    apt,
    archive,
    fileutils,
    find,
    ls,
    network,
    nginx,
    procs,
    sysinfo,
    textproc,
    top,
)
