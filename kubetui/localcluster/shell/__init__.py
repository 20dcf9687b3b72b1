"""The shell a container runs: one interpreter for `sh -c` commands and `kubectl exec` sessions
(bash, dash and busybox ash flavours).

Each exec runs `python -m kubetui.localcluster.shell --context FILE -- ARGV…` in a real pty (or
pipes); everything it touches is simulated in memory (see the sandbox)."""
