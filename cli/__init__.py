"""The command line ``counter-admin``: a front end beside the desktop (``ui``).

Rooms: ``main`` (the parser and the exit status), ``context`` (arguments, the counter, who
acts, output), ``parsing`` (dates typed on the command line), ``output`` (text for a
terminal), and one module per group of commands: ``office_commands``, ``dossier_commands``,
``print_commands``, ``sync_commands``.
"""
