"""Frozen entry point of the console `fpledger` executable (app.cli, plus `--smoke-test`)."""

import sys

if __name__ == "__main__":
    if "--smoke-test" in sys.argv or "--startup-only" in sys.argv:
        from ui.smoke import main as smoke_main

        sys.exit(smoke_main(sys.argv[1:]))
    from app.cli import main

    sys.exit(main())
