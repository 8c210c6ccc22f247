"""The register of members and shares (registre des associés), landscape A4: per member their
number, name, category, date in, date out, shares held, amount held and every share movement,
then the totals. Rows are laid out in tables of 40 so a register of 20,000 members stays fast
(one huge table is measured and split page after page)."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from coop.i18n import _
from coop.members.register import MembersRegister
from invoices.base import BaseRenderer, cell, data_table, day_text, money, para

CHUNK = 40
WIDTHS = (14, 62, 24, 22, 22, 16, 24, 83)


class RegisterRenderer(BaseRenderer):
    document: MembersRegister
    pagesize = landscape(A4)

    def title(self) -> str:
        return _("Register of members and shares on {day}").format(
            day=day_text(self.document.at, "long")
        )

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [
            para(doc.letterhead.name, "Heading"),
            para(self.title(), "Title"),
            para(
                _("{count} people; {shares} shares of {value} held, {capital} in all.").format(
                    count=len(doc.rows),
                    shares=doc.shares,
                    value=money(doc.share_value_cents),
                    capital=money(doc.capital_cents),
                ),
                "Small",
            ),
            Spacer(1, 3 * mm),
        ]
        header = [
            _("No."),
            _("Name"),
            _("Category"),
            _("Date in"),
            _("Date out"),
            _("Shares"),
            _("Held"),
            _("Movements"),
        ]
        rows = [
            [
                str(row.number),
                cell(row.name, WIDTHS[1]),
                row.category,
                day_text(row.joined_on),
                day_text(row.left_on) if row.left_on else "",
                str(row.shares),
                money(row.paid_cents),
                cell(row.movements_text(), WIDTHS[7], "Small"),
            ]
            for row in doc.rows
        ]
        for start in range(0, max(len(rows), 1), CHUNK):
            story.append(data_table(header, rows[start : start + CHUNK], WIDTHS, right=[0, 5, 6]))
        return story
