"""A volunteer-hours attestation: the coop certifies the shifts a member worked over a period,
with the list of shifts and the total, and room for a signature and stamp."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from coop.i18n import _, ngettext
from coop.shifts.documents import HoursAttestation, hours_text
from invoices.base import (
    BOLD,
    TOTAL_FILL,
    BaseRenderer,
    cell,
    data_table,
    day_text,
    esc,
    letterhead_lines,
    para,
    two_blocks,
)


class AttestationRenderer(BaseRenderer):
    document: HoursAttestation

    def title(self) -> str:
        return _("Volunteer work attestation")

    def story(self) -> list[Flowable]:
        doc = self.document
        person = [para(doc.member_name, "Bold")]
        person.extend(para(line) for line in doc.address)
        story: list[Flowable] = [
            two_blocks(letterhead_lines(doc.letterhead), person, self.width),
            Spacer(1, 12 * mm),
            para(self.title(), "Title"),
            Spacer(1, 6 * mm),
        ]
        count = len(doc.shifts)
        shifts = ngettext("{count} volunteer shift", "{count} volunteer shifts", count).format(
            count=count
        )
        sentence = _(
            "The cooperative {coop} certifies that {name} (member no. {number}) worked "
            "{shifts}, {hours} in all, from {start} to {end}, as listed below."
        ).format(
            coop=f"<b>{esc(doc.letterhead.name)}</b>",
            name=f"<b>{esc(doc.member_name)}</b>",
            number=doc.member_number,
            shifts=esc(shifts),
            hours=f"<b>{esc(hours_text(doc.total_minutes))}</b>",
            start=esc(day_text(doc.start, "long")),
            end=esc(day_text(doc.end, "long")),
        )
        story.append(para(sentence, markup=True))
        story.append(Spacer(1, 6 * mm))
        rows = [
            [
                day_text(shift.day, "full"),
                cell(shift.name, 70),
                f"{shift.starts}–{shift.ends}",
                hours_text(shift.minutes),
            ]
            for shift in doc.shifts
        ]
        rows.append([_("Total"), "", "", hours_text(doc.total_minutes)])
        story.append(
            data_table(
                [_("Day"), _("Shift"), _("Hours"), _("Duration")],
                rows,
                [55, 70, 30, 25],
                right=[3],
                extra=[
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ],
            )
        )
        story.append(Spacer(1, 6 * mm))
        story.append(
            para(
                _(
                    "This attestation is given to the person concerned for whatever purpose it "
                    "may serve."
                ),
                "Normal",
            )
        )
        story.append(Spacer(1, 8 * mm))
        place = (
            _("Done at {town}, on {day}").format(
                town=doc.signed_at, day=day_text(doc.printed_at.date(), "long")
            )
            if doc.signed_at
            else _("Done on {day}").format(day=day_text(doc.printed_at.date(), "long"))
        )
        story.append(
            two_blocks(
                [],
                [para(place), Spacer(1, 3 * mm), para(_("Signature and stamp"), "Small")],
                self.width,
            )
        )
        return story
