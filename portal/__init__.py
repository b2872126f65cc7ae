"""The reference provincial portal: the other side of the counter's sync protocol.

A FastAPI application over SQLAlchemy (SQLite by default, PostgreSQL by URL) that receives
dossiers and status changes from counters, reports processing status back through a change
feed, publishes master data, and serves the public lookup page. It shares only the wire format
(``protocol``) with the counter. Run it with ``python -m portal``.

Its rooms: ``push`` (a pushed batch judged and recorded; ``reasons`` says why an entry was
not accepted), ``feed`` (the change feed), ``attention`` (entries that need a person),
``dossiers`` (a processing department's moves, and reading dossiers), ``lookup`` (the public
lookup), ``agencies`` and ``auth`` (agencies, counters, tokens), ``masterdata``; over HTTP,
``api`` (the sync routes), ``public`` (the lookup page's route), ``web`` (plumbing),
``openapi`` and ``app``; and ``cli`` (the command line, one module per command group).
"""

__version__ = "1.0.0"
