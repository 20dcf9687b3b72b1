"""The shell a container runs: one interpreter (bash, dash and busybox ash flavours) for
`kubectl exec` sessions and for the commands containers start with.

Each exec runs `python -m kubetui.localcluster.shell --context FILE -- ARGV…` in a real pty (or
pipes); everything it touches is simulated in memory (see the sandbox). A container's command
is planned when it starts (planning.py): the same interpreter and programs, on a sandbox
whose host keeps simulated time, so `sh -c SCRIPT` prints the same in both."""
