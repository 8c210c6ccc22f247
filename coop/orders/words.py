"""What the grouped orders' codes mean, in words (gettext, English message ids): a cycle's state
and an allocation strategy, as the commands, the refusals and the sheets say them."""

from __future__ import annotations

from coop.i18n import _, pgettext


def state_word(state: str) -> str:
    """The state as an adjective of "the order cycle" (French: masculine)."""
    return {
        "draft": pgettext("order cycle", "in preparation"),
        "open": pgettext("order cycle", "open"),
        "closed": pgettext("order cycle", "closed"),
        "sent": pgettext("order cycle", "sent"),
        "received": pgettext("order cycle", "received"),
        "settled": pgettext("order cycle", "settled"),
    }[state]


def strategy_words(strategy: str) -> str:
    """An allocation strategy (``coop.orders.models.STRATEGIES``) in words."""
    return {
        "fifo": _("first come, first served"),
        "proportional": _("in proportion to the orders"),
        "round_robin": _("one unit each in turn"),
        "none": _("as ordered, fixed by hand"),
    }.get(strategy, strategy)
