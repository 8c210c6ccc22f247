"""The AMAP feuille d'émargement of one distribution (Amapress style): a tick box and the
households, one column per contract with the size codes, absent households greyed, the totals
per contract and size, keepers, the day's volunteers and the next distributions' rota."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from coop.amap.documents import Emargement
from coop.i18n import _
from invoices.base import BaseRenderer, cell, data_table, day_text, esc, para

TICK = "☐"


def _staff_text(staffing: object) -> str:
    volunteers = getattr(staffing, "volunteers", ())
    named = ", ".join(f"{v.role_label} : {v.name}" for v in volunteers) or _("nobody yet")
    missing = getattr(staffing, "missing", 0)
    if missing:
        named += " — " + _("{count} more needed").format(count=missing)
    return named


class EmargementRenderer(BaseRenderer):
    document: Emargement

    def title(self) -> str:
        return _("Sign-in sheet, {place}, {day}").format(
            place=self.document.place_name, day=day_text(self.document.on, "full")
        )

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [para(doc.letterhead.name, "Heading"), para(self.title(), "Title")]
        where = ", ".join(x for x in (doc.address, doc.hours) if x)
        if where:
            story.append(para(where, "Small"))
        story.append(Spacer(1, 2 * mm))
        codes = [code for code, _name in doc.contracts]
        per = min(max((180 - 8 - 28 - 58) / max(len(codes), 1), 16), 34)
        name_w = 180 - 8 - 28 - per * len(codes)
        widths = [8, name_w, *([per] * len(codes)), 28]
        header = [TICK, _("Household"), *codes, _("Signature")]
        rows: list[list[object]] = []
        greyed: list[tuple[object, ...]] = []
        for index, row in enumerate(doc.rows, start=1):
            name = row.names + (f" ({row.note})" if row.note else "")
            rows.append([TICK, cell(name, name_w), *[cell(c, per) for c in row.cells], ""])
            if row.absent:
                greyed.append(("TEXTCOLOR", (0, index), (-1, index), colors.grey))
                greyed.append(("BACKGROUND", (0, index), (-1, index), colors.Color(0.9, 0.9, 0.9)))
        story.append(data_table(header, rows, widths, zebra=False, row_height_mm=8, extra=greyed))
        story.append(Spacer(1, 2 * mm))
        for code, total in zip(codes, doc.totals, strict=True):
            story.append(para(f"<b>{esc(code)}</b> : {esc(total or '—')}", markup=True))
        story.append(Spacer(1, 2 * mm))
        story.append(
            para(_("Volunteers of the day: {list}").format(list=_staff_text(doc.staffing)))
        )
        for later in doc.next_staffing:
            story.append(
                para(
                    _("{day}: {list}").format(
                        day=day_text(later.on, "short"), list=_staff_text(later)
                    ),
                    "Small",
                )
            )
        if doc.keepers:
            story.append(Spacer(1, 2 * mm))
            story.append(para(_("Basket keepers"), "Heading"))
            story.extend(para(k, "Small") for k in doc.keepers)
        for note in (doc.public_note, doc.volunteer_note):
            if note:
                story.append(Spacer(1, 2 * mm))
                story.append(para(note))
        return story
