"""Catalogue: products, barcodes and the barcode nomenclature the till reads scans with."""
