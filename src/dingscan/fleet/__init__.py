"""Fleet runs: many tenants from one tenants file, concurrently, under one egress ceiling."""
