"""What every endpoint under /api/v1/ shares: permissions, pagination, errors, fields,
filters, the OpenAPI schema's conventions, and the URLs."""
