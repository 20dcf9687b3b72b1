"""The simulated programs. Importing this package registers every one of them."""

from kubetui.localcluster.simshell.programs import (apt, archive, fileutils, find, ls,  # noqa
                                                    network, nginx, procs, shells, sysinfo,
                                                    textproc, top)
