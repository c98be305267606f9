"""HTTP endpoints, one module per area; all reads go through server.scope."""
