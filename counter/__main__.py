"""``python -m counter`` runs the command line ``counter-admin`` (the ``cli`` package).

The domain package does not import its front end: this launcher is a script, run by the
interpreter and imported by nothing, and it only hands over to ``python -m cli``.
"""

import runpy

runpy.run_module("cli", run_name="__main__", alter_sys=True)
