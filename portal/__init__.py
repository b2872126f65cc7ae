"""The reference provincial portal: the other side of the counter's sync protocol.

A FastAPI application over SQLAlchemy (SQLite by default, PostgreSQL by URL) that receives
dossiers and status changes from counters, reports processing status back through a change
feed, publishes master data, and serves the public lookup page. It shares only the wire format
(``sync.wire``) with the counter. Run it with ``python -m portal``.
"""

__version__ = "1.0.0"
