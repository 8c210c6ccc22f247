"""The screens: one module and one ``.tcss`` per screen (``CSS_PATH`` next to the module).

Modes (``ComptoirApp.MODES``): ``counter`` (``counter.CounterScreen``), ``desk``, ``shifts``,
``distribution`` and ``coordinator`` (``placeholder`` screens until they are built: replace the
mode's entry in ``tui.app.ComptoirApp.MODES`` with the new screen's factory). Dialogs are
``ModalScreen``s deriving from ``base.ComptoirModal`` (Escape backs out, scans are refused
where they would leak into a sale).
"""
