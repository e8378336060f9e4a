"""`python -m app` is the `fpledger` command line."""

import sys

from app.cli import main

sys.exit(main())
