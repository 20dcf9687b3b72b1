"""The simulated programs. Importing this package registers every one of them."""

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
from kubetui.localcluster.shell import programs as shells  # noqa: F401
