"""Every table of the portal, on one metadata: ``portal.models`` and the modules that keep a
table beside their own code. What the migrations must make, and what they are checked
against."""

from __future__ import annotations

from portal import files_table, ratelimit  # noqa: F401  (imported for their tables)
from portal.models import Base

metadata = Base.metadata
