"""People and access: memberships with roles, API tokens, login throttling, the scoping layer."""
