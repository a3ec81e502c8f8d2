"""People and access: users, roles, clinic membership, MFA and the access policy."""
