"""Frozen entry point of the windowed FPLedger executable.

`FPLedger --smoke-test OUT.json` runs the smoke test instead of the GUI and writes its result
to OUT.json (windowed builds have no stdout).
"""

import sys

if __name__ == "__main__":
    if "--smoke-test" in sys.argv or "--startup-only" in sys.argv:
        from ui.smoke import main as smoke_main

        sys.exit(smoke_main(sys.argv[1:]))
    from ui.main import main

    sys.exit(main())
