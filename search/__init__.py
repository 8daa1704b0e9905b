"""Full-text search over the published threads: the Whoosh schema, index, queries and static export.

Every use of Whoosh in entraide lives in this package.
"""
