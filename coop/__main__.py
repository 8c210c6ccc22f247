"""`python -m coop` is the same as the `coop` command."""

from coop.cli.run import main

raise SystemExit(main())
