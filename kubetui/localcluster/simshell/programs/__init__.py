"""The simulated programs. Importing this package registers every one of them."""

from kubetui.localcluster.simshell.programs import (apt, fileutils, find, ls, network,  # noqa
                                                    procs, shells, sysinfo, textproc, top)
