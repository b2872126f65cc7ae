"""The portal's settings (from the ``serve`` command line)."""

from __future__ import annotations

from dataclasses import dataclass

from protocol import MAX_BATCH_ENTRIES, MAX_BODY_BYTES, MAX_FILE_BYTES, MAX_FILE_CHUNK_BYTES


@dataclass(frozen=True)
class Settings:
    #: The portal's public address, e.g. ``https://dichvucong.example.gov.vn``; counters print
    #: ``<public_url>/tra-cuu?...`` on receipts. Empty: taken from each request's own address.
    public_url: str = ""
    max_body_bytes: int = MAX_BODY_BYTES
    max_batch_entries: int = MAX_BATCH_ENTRIES
    #: Public lookup page: each client address may make ``lookup_burst`` requests at once,
    #: refilled at ``lookup_rate`` per minute. A rate of 0 turns the limit off.
    lookup_rate: float = 30.0
    lookup_burst: int = 10
    #: Where digitised files are kept (``serve --files``); empty: files are not kept, and the
    #: file endpoints answer 501.
    files_root: str = ""
    #: The most one file may take, and one chunk of its upload.
    max_file_bytes: int = MAX_FILE_BYTES
    max_chunk_bytes: int = MAX_FILE_CHUNK_BYTES
    #: ``GET /metrics`` needs ``Authorization: Bearer <this>``; empty: loopback clients only.
    metrics_token: str = ""

    def __post_init__(self) -> None:
        if not 1 <= self.max_batch_entries <= MAX_BATCH_ENTRIES:
            raise ValueError(f"max_batch_entries must be 1..{MAX_BATCH_ENTRIES}")
        if not 1024 <= self.max_body_bytes <= MAX_BODY_BYTES:
            raise ValueError(f"max_body_bytes must be 1024..{MAX_BODY_BYTES}")
        if not 1 <= self.max_file_bytes <= MAX_FILE_BYTES:
            raise ValueError(f"max_file_bytes must be 1..{MAX_FILE_BYTES}")
        if not 1024 <= self.max_chunk_bytes <= MAX_FILE_CHUNK_BYTES:
            raise ValueError(f"max_chunk_bytes must be 1024..{MAX_FILE_CHUNK_BYTES}")
        if self.lookup_rate < 0 or self.lookup_burst < 1:
            raise ValueError("lookup_rate must be >= 0 and lookup_burst >= 1")
