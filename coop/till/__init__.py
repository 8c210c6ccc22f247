"""The shop's till: pricing, payments, cash counts, the inalterable journal and closures."""
