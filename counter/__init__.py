"""The counter's domain and storage: dossiers, procedures, calendar, codes, accounts, audit."""

__version__ = "0.1.0"
