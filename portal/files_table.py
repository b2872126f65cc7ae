"""The table of the digitised files linked to dossiers (``portal.files``).

Its own module, beside ``portal.models``' tables and on the same ``Base``: imported by
``portal.dossiers``, so every program that reads dossiers creates and knows it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, BigId


class DossierFile(Base):
    """A digitised file linked to a dossier: one version of the pages of one of its papers.

    The PDF itself is on disk, once per agency, under its SHA-256 (``portal.files``).
    """

    __tablename__ = "dossier_files"
    __table_args__ = (
        UniqueConstraint("dossier_id", "doc", "version"),
        Index("ix_dossier_files_agency_sha", "agency_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossiers.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))  # who linked it
    doc: Mapped[str] = mapped_column(String(40))  # a document code of the procedure, or result
    version: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int]
    bytes: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(10))  # scan | file | folder
    by: Mapped[str] = mapped_column(String(100))  # the clerk, as the counter names them
    at: Mapped[datetime]  # when the counter stored it
    linked_at: Mapped[datetime]
