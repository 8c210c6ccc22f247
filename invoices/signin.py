"""The day's shift sign-in sheet (feuille d'émargement): one table per shift, people sorted by
name, blank rows for walk-ins, arrival/departure/signature columns to fill in by hand."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from coop.i18n import _, ngettext
from coop.shifts.documents import SignInSheet
from invoices.base import BaseRenderer, cell, data_table, day_text, para

ROW_HEIGHT_MM = 9
WIDTHS_MM = (10, 36, 23, 28, 26, 16, 20, 21)
"""No., name, role, booking, phone, arrival, departure, signature (180 mm): the role and booking
columns hold their longest word in either language ("responsable", "sans réservation") on one
line; the layout tests check it with ReportLab's string widths."""


class SignInRenderer(BaseRenderer):
    document: SignInSheet

    def title(self) -> str:
        return _("Sign-in sheet, {day}").format(day=day_text(self.document.day, "full"))

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [
            para(doc.letterhead.name, "Heading"),
            para(self.title(), "Title"),
            para(
                _(
                    "Sign when you arrive and when you leave; walk-ins write their name on a blank "
                    "row."
                ),
                "Small",
            ),
            Spacer(1, 3 * mm),
        ]
        header = [
            _("No."),
            _("Name"),
            _("Role"),
            _("Booking"),
            _("Phone"),
            _("Arrival"),
            _("Departure"),
            _("Signature"),
        ]
        widths = list(WIDTHS_MM)
        for shift in doc.shifts:
            rows: list[list[object]] = [
                [
                    str(row.number),
                    cell(row.name, WIDTHS_MM[1]),
                    cell(row.role, WIDTHS_MM[2]),
                    cell(row.kind, WIDTHS_MM[3]),
                    cell(row.phone, WIDTHS_MM[4]),
                    "",
                    "",
                    "",
                ]
                for row in shift.rows
            ]
            rows.extend([[""] * len(header) for _blank in range(shift.blank_rows)])
            booked = ngettext("{count} booked", "{count} booked", len(shift.rows)).format(
                count=len(shift.rows)
            )
            heading = para(
                _("{name}, {start}–{end} ({booked}, {seats} seats)").format(
                    name=shift.name,
                    start=shift.starts,
                    end=shift.ends,
                    booked=booked,
                    seats=shift.seats,
                ),
                "Heading",
            )
            table = data_table(
                header,
                rows,
                widths,
                zebra=False,
                row_height_mm=ROW_HEIGHT_MM,
                extra=[("GRID", (0, 0), (-1, -1), 0.4, "#9a9a9a")],
            )
            story.append(CondPageBreak(40 * mm))
            story.append(KeepTogether([heading, table]) if len(rows) <= 12 else heading)
            if len(rows) > 12:
                story.append(table)
        return story
