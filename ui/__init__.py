"""The desktop application (PySide6). Qt lives here and nowhere else."""

from ui.compat import keep_none_alive

# Before any Qt call: PySide6 6.12.0 on Python 3.11 would otherwise wear None out (see compat).
keep_none_alive()
