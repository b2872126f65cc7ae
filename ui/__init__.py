"""The desktop application (PySide6). Qt lives here and nowhere else."""
