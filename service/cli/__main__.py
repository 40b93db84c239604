"""`python -m service.cli` runs the `tollwatch` command."""

import sys

from service.cli.main import main

sys.exit(main())
