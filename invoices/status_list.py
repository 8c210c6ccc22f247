"""The paper list of who may shop today, for the welcome desk when the terminal is down: every
member and associated person sorted by name (accents ignored), a large YES / NO, the status and
what to tell the person."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from coop.i18n import _
from coop.shifts.documents import StatusList
from invoices.base import BOLD, BaseRenderer, cell, day_text, para
from invoices.long_table import long_table

REFUSED_FILL = colors.HexColor("#d9d9d9")


class StatusListRenderer(BaseRenderer):
    document: StatusList

    def title(self) -> str:
        return _("Who may shop on {day}").format(day=day_text(self.document.day, "full"))

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [
            para(doc.letterhead.name, "Heading"),
            para(self.title(), "Title"),
            para(
                _(
                    "Paper list for when the terminal is down. {may} of {count} people may shop. "
                    "Associated people shop on their household's status. Check the card's last "
                    "digits for namesakes."
                ).format(may=doc.may_shop, count=len(doc.rows)),
                "Small",
            ),
            Spacer(1, 3 * mm),
        ]
        yes, no = _("YES"), _("NO")
        rows = [
            [
                str(row.number),
                cell(row.name, 48, "CellBold"),
                row.card_end,
                yes if row.can_shop else no,
                cell(row.status, 26),
                para(row.note, "Small"),
            ]
            for row in doc.rows
        ]
        extra: list[tuple[object, ...]] = [
            ("FONTNAME", (1, 1), (1, -1), BOLD),
            ("FONTNAME", (3, 1), (3, -1), BOLD),
            ("FONTSIZE", (3, 1), (3, -1), 10),
        ]
        refused = [("BACKGROUND", 0, -1, REFUSED_FILL)]
        row_extra = {index: refused for index, row in enumerate(doc.rows) if not row.can_shop}
        story.append(
            long_table(
                [_("No."), _("Name"), _("Card"), _("May shop"), _("Status"), _("To tell them")],
                rows,
                [12, 48, 16, 18, 26, 60],
                right=[0],
                centre=[2, 3],
                extra=extra,
                row_extra=row_extra,
            )
        )
        return story
