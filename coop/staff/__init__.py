"""Staff: the people at the terminals. PINs (set, reset, checked with a slow salted hash and
locked after repeated wrong tries), the coop roles granted by an administrator, and the
``Actor`` a person becomes once they gave their card and PIN (``coop.rights``)."""
