"""Reusable widgets: the scan field, the member banner, the receipt and Z views."""
