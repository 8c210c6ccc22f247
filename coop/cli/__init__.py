"""The `coop` command line: the composition root (the one place that builds engines, reads
the real clock and may start the terminal UI or the PDF renderer)."""
