"""The docs written from code stay current."""

from pathlib import Path

from counter.statuses import markdown_table

ROOT = Path(__file__).resolve().parents[2]


def test_status_table_in_docs_is_current():
    assert markdown_table() in (ROOT / "docs" / "statuses.md").read_text("utf-8")
