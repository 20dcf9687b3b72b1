"""A simulated container shell for `kubectl exec` against the local cluster.

Each exec runs `python -m kubetui.localcluster.simshell --context FILE -- ARGV…` in a real
pty (or pipes). FILE is JSON made by `build_context` from the pod; everything else — the
filesystem, the processes, the programs — is simulated in memory. The program never runs
anything on the host, never reads host files other than FILE, the layer files FILE names
(what earlier sessions changed in the container, layers.py, read and written) and its own
/proc/self/statm (to size its memory bound), and never touches the network: it only reads
and writes its own stdio (and asks the pty for its size).
"""

from kubetui.localcluster.simshell.context import ContextError, build_context, effective_argv
from kubetui.localcluster.simshell.launch import find_executable

__all__ = ["ContextError", "build_context", "effective_argv", "find_executable"]
