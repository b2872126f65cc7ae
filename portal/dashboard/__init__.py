"""The provincial dashboard: a web page of the portal for the province's supervisors.

Officials sign in (``portal.officials``); the routes (``routes``) show the figures
(``figures``) per commune and counter, read from daily counts kept current with every change
(``rollup``), the overdue dossiers, a chart per month, and export the table (``export``).
"""
