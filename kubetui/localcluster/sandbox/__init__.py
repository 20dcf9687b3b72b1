"""A container's sandbox as a shell in it sees it: the filesystem (image, writable layer,
volumes), the process table and the programs, and the host around them (host.py): the real
clock for an exec session, a simulated one when a container's run is planned (plan_host.py).

Nothing here runs anything on the host: the sandbox reads only the context file it is given,
the layer files it names and its own /proc/self/statm, and writes only its own stdio. It
never imports the shell that runs on it."""
