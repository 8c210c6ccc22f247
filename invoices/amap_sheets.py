"""The AMAP's other sheets: the per-contract grid (A4 landscape, members × dates), the
producer's delivery sheet, the cheque schedule (A4 landscape) and the depot list (a block per
place, totals row first, a "picked up" tick column)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from coop.amap.sheets import (
    ABSENT_MARK,
    NO_DELIVERY_MARK,
    ChequeSchedule,
    ContractGrid,
    DeliverySheet,
    DepotList,
)
from coop.i18n import _
from invoices.base import BOLD, BaseRenderer, cell, data_table, day_text, money, para

TICK = "☐"
GREYED = colors.Color(0.9, 0.9, 0.9)


class ContractGridRenderer(BaseRenderer):
    document: ContractGrid
    pagesize = landscape(A4)

    def title(self) -> str:
        return _("Sign-in sheet – {contract}").format(contract=self.document.contract_name)

    def story(self) -> list[Flowable]:
        doc = self.document
        dates = [f"{d:%d/%m}" for d in doc.dates]
        room = 267 - 50 - 22
        per = max(min(room / max(len(dates), 1), 22), 6)
        name_w = 267 - 22 - per * len(dates)
        rows: list[list[object]] = []
        for row in doc.rows:
            names = "\n".join([row.names[0], *(f"↔ {n}" for n in row.names[1:])])
            rows.append([cell(names, name_w), cell(row.basket, 22), *row.cells])
        return [
            para(doc.letterhead.name, "Heading"),
            para(self.title(), "Title"),
            para(
                _("{producer}; from {first} to {last}. {absent} absence, {none} no basket.").format(
                    producer=doc.producer,
                    first=day_text(doc.first),
                    last=day_text(doc.last),
                    absent=ABSENT_MARK,
                    none=NO_DELIVERY_MARK,
                ),
                "Small",
            ),
            Spacer(1, 2 * mm),
            data_table(
                [_("Household"), _("Basket"), *dates],
                rows,
                [name_w, 22, *([per] * len(dates))],
                centre=range(2, 2 + len(dates)),
                zebra=False,
                row_height_mm=9,
                font_size=7.5,
            ),
        ]


class DeliverySheetRenderer(BaseRenderer):
    document: DeliverySheet

    def title(self) -> str:
        return _("Delivery sheet – {contract} – {day}").format(
            contract=self.document.contract_name, day=day_text(self.document.on, "full")
        )

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [
            para(doc.letterhead.name, "Heading"),
            para(self.title(), "Title"),
            para(
                _("Producer: {name} ({contact})").format(
                    name=doc.producer, contact=doc.producer_contact
                )
            ),
            para(_("Referents: {names}").format(names=", ".join(doc.referents) or "—")),
            Spacer(1, 3 * mm),
        ]
        places = list(doc.places)
        per = 21.0
        label_w = 180 - 16 - per * (len(places) + 1) - 20 - 24
        header = [
            _("Code"),
            _("Size or product"),
            *places,
            _("Total"),
            _("Unit price"),
            _("Amount"),
        ]
        rows: list[list[object]] = [
            [
                line.code,
                cell(line.label, label_w),
                *map(str, line.per_place),
                str(line.total),
                money(line.price_cents),
                money(line.amount_cents),
            ]
            for line in doc.lines
        ]
        rows.append(["", _("Total"), *[""] * len(places), "", "", money(doc.amount_cents)])
        n = len(header)
        story.append(
            data_table(
                header,
                rows,
                [16, label_w, *([per] * len(places)), per, 20, 24],
                right=range(2, n),
            )
        )
        if doc.matrix:
            codes = [line.code for line in doc.lines]
            story += [Spacer(1, 4 * mm), para(_("Orders per household"), "Heading")]
            width = max((180 - 60) / max(len(codes), 1), 14)
            story.append(
                data_table(
                    [_("Household"), *codes],
                    [[cell(name, 60), *map(str, q)] for name, q in doc.matrix],
                    [60, *([width] * len(codes))],
                    right=range(1, len(codes) + 1),
                )
            )
        return story


class ChequeScheduleRenderer(BaseRenderer):
    document: ChequeSchedule
    pagesize = landscape(A4)

    def title(self) -> str:
        return _("Cheque schedule – {contract}").format(contract=self.document.contract_name)

    def story(self) -> list[Flowable]:
        doc = self.document
        dates = [day_text(d) for d in doc.dates]
        per = max(min((267 - 55) / max(len(dates), 1), 40), 18)
        rows: list[list[object]] = [
            [cell(row.name, 55), *[cell(c, per) for c in row.cells]] for row in doc.rows
        ]
        rows.append([_("Total"), *map(money, doc.totals_cents)])
        rows.append([_("Handed over"), *map(money, doc.handed_cents)])
        return [
            para(doc.letterhead.name, "Heading"),
            para(self.title(), "Title"),
            para(
                _("{producer}. ✓ handed over to the producer.").format(producer=doc.producer),
                "Small",
            ),
            Spacer(1, 2 * mm),
            data_table(
                [_("Household"), *dates],
                rows,
                [55, *([per] * len(dates))],
                right=range(1, len(dates) + 1),
                font_size=7.5,
            ),
        ]


class DepotListRenderer(BaseRenderer):
    document: DepotList

    def title(self) -> str:
        return _("Depot list, {day}").format(day=day_text(self.document.on, "full"))

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [para(doc.letterhead.name, "Heading"), para(self.title(), "Title")]
        for index, block in enumerate(doc.blocks):
            if index:
                story.append(PageBreak())
            where = ", ".join(x for x in (block.address, block.hours) if x)
            story.append(para(f"{block.place_name} ({block.place})", "Heading"))
            if where:
                story.append(para(where, "Small"))
            per = max(min((180 - 50 - 16) / max(len(block.columns), 1), 26), 12)
            name_w = 180 - 16 - per * len(block.columns)
            header = [
                _("Household"),
                *[c.replace(" ", "\n") for c in block.columns],
                _("Picked up"),
            ]
            totals: list[object] = [_("TOTAL"), *map(str, block.totals), ""]
            rows: list[list[object]] = [totals]
            extra: list[tuple[object, ...]] = [("FONTNAME", (0, 1), (-1, 1), BOLD)]
            for number, (name, counts, absent) in enumerate(block.rows, start=2):
                last = _("ABSENT") if absent else TICK
                rows.append([cell(name, name_w), *[str(c or "") for c in counts], last])
                if absent:
                    extra.append(("TEXTCOLOR", (0, number), (-1, number), colors.grey))
                    extra.append(("BACKGROUND", (0, number), (-1, number), GREYED))
            story.append(
                data_table(
                    header,
                    rows,
                    [name_w, *([per] * len(block.columns)), 16],
                    centre=range(1, len(block.columns) + 2),
                    zebra=False,
                    row_height_mm=7,
                    extra=extra,
                )
            )
        return story
