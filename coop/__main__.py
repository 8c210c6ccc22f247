"""`python -m coop` is the same as the `coop` command."""

from coop.cli.main import main

raise SystemExit(main())
