"""Table definitions, one module per domain, each called by exactly one migration."""
