"""The Textual terminal interface: counter, desks and coordinator screens."""
