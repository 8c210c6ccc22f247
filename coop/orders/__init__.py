"""Grouped orders (groupements d'achat): cycles, households' orders, case rounding, allocation,
delivery and charges, order sheets and packing lists.

Pure rules in ``rules/`` and ``pricing.py``; use cases in ``service.py`` (cycles), ``ordering.py``
(a household orders), ``articles.py``, ``allocation.py`` and ``delivery.py``; what people read in
``views.py`` and ``sheets.py``.
"""
