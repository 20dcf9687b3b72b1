"""A container's sandbox as a shell in it sees it: the filesystem (image, writable layer,
volumes), the process table and the programs.

Nothing here runs anything on the host: the sandbox reads only the context file it is given,
the layer files it names and its own /proc/self/statm, and writes only its own stdio."""
