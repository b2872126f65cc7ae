"""The public lookup: the URL printed as a QR code on every receipt, and what it shows.

``<lookup base URL>?ma=<dossier code>&k=<lookup key>``: the portal serves the page at
``LOOKUP_PATH`` and publishes its base URL in the office master data; a counter prints the
URL and never changes it once printed.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

#: Where the reference portal serves the lookup page.
LOOKUP_PATH = "/tra-cuu"
#: The query parameter that carries the dossier code.
CODE_PARAM = "ma"
#: The query parameter that carries the lookup key.
KEY_PARAM = "k"
#: What ``quote_plus`` leaves as it is: a code or a key is written so
_AS_IS = re.compile(r"[A-Za-z0-9_.~-]*")


def lookup_url(base_url: str, code: str, key: str) -> str:
    """The URL for one dossier; empty when the office has no lookup base URL yet."""
    if not base_url:
        return ""
    return f"{base_url}?{CODE_PARAM}={_quoted(code)}&{KEY_PARAM}={_quoted(key)}"


def _quoted(value: str) -> str:
    return value if _AS_IS.fullmatch(value) else quote_plus(value)


def mask_name(name: str) -> str:
    """``Nguyễn Thị An`` -> ``Nguyễn T*** A***``: the family name, then initials only.

    What a citizen's lookup shows of the applicant, on the portal's page and on the
    counter's lookup screen alike: enough to recognise one's own dossier, and no more
    (the stars do not tell how long a name is).
    """
    words = name.split()
    if not words:
        return "***"
    if len(words) == 1:
        return words[0][0] + "***"
    return " ".join([words[0], *(w[0] + "***" for w in words[1:])])
