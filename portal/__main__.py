import sys

from portal.cli import main

if __name__ == "__main__":  # not when a worker process of serve imports it
    sys.exit(main())
