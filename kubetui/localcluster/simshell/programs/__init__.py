"""The simulated programs. Importing this package registers every one of them."""

from kubetui.localcluster.simshell.programs import (apt, fileutils, ls, network, procs,  # noqa
                                                    shells, sysinfo, textproc, top)
