"""kubetui: a terminal dashboard for Kubernetes."""
