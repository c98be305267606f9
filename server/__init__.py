"""Fieldrep's central server: users, territories, master data, authentication, scope.

An ASGI application (FastAPI) over its own SQLAlchemy store; SQLite in the data folder by
default, PostgreSQL in production (docs/architecture.md, "Design rules"). It may read the
wire contract (`app.contract`) but nothing else of the desktop client.
"""

__version__ = "0.1.0"
