"""The container runtime's decisions: what a started container runs (its RunPlan) and the
servers its image provides (nginx, httpd, redis)."""
