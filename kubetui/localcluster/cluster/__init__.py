"""Putting a cluster together: options, start and stop, the seeded samples, synthetic load.

The top of the local cluster: it builds the API server, the controllers, the scheduler and the
node, and wires them to one store and one clock."""
