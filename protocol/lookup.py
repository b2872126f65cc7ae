"""The public lookup URL printed as a QR code on every receipt.

``<lookup base URL>?ma=<dossier code>&k=<lookup key>``: the portal serves the page at
``LOOKUP_PATH`` and publishes its base URL in the office master data; a counter prints the
URL and never changes it once printed.
"""

from __future__ import annotations

from urllib.parse import urlencode

#: Where the reference portal serves the lookup page.
LOOKUP_PATH = "/tra-cuu"
#: The query parameter that carries the dossier code.
CODE_PARAM = "ma"
#: The query parameter that carries the lookup key.
KEY_PARAM = "k"


def lookup_url(base_url: str, code: str, key: str) -> str:
    """The URL for one dossier; empty when the office has no lookup base URL yet."""
    if not base_url:
        return ""
    return f"{base_url}?{urlencode({CODE_PARAM: code, KEY_PARAM: key})}"
