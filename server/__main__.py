"""`python -m server` runs the admin CLI (the console script is `fieldrep-server`)."""

from server.cli import main

raise SystemExit(main())
