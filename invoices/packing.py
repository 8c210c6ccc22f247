"""Packing lists of a cycle: by article (one block per article, households with a tick box),
by household (one block per household, a crate label heading), and the matrix for sorting crates
(landscape; one row per household so names read across, articles in column batches with their
headers repeated on every page, a thick rule every five columns)."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table

from coop.i18n import _
from coop.orders.sheets import PackingList
from invoices.base import (
    BOLD,
    FONT,
    INK,
    TOTAL_FILL,
    BaseRenderer,
    cell,
    data_table,
    day_text,
    money,
    para,
)
from invoices.cards import fit

TICK = "\u2610"  # ☐
MATRIX_NAME_MM = 46
MATRIX_NUMBER_MM = 11
MATRIX_COLUMN_MM = 18


class PackingRenderer(BaseRenderer):
    document: PackingList

    def page_size(self) -> tuple[float, float]:
        return landscape(A4) if self.document.kind == "matrix" else A4

    def title(self) -> str:
        doc = self.document
        kind = {
            "article": _("Packing list by article"),
            "household": _("Packing list by household"),
            "matrix": _("Sorting grid"),
        }[doc.kind]
        return _("{kind}, {cycle}, delivery {day}").format(
            kind=kind, cycle=doc.cycle_code, day=day_text(doc.delivery_on)
        )

    def story(self) -> list[Flowable]:
        doc = self.document
        story: list[Flowable] = [
            para(doc.letterhead.name, "Heading"),
            para(self.title(), "Title"),
            para(
                f"{doc.cycle_name} · {day_text(doc.delivery_on, 'full')}"
                + (f" · {doc.delivery_place}" if doc.delivery_place else ""),
                "Normal",
            ),
            para(
                _("Quantities as delivered.")
                if doc.received
                else _("Quantities as allocated at close; check them against the delivery."),
                "Small",
            ),
            Spacer(1, 4 * mm),
        ]
        if doc.kind == "article":
            story.extend(self._by_article())
        elif doc.kind == "household":
            story.extend(self._by_household())
        else:
            story.extend(self._matrix())
        return story

    def _by_article(self) -> list[Flowable]:
        out: list[Flowable] = []
        for article in self.document.articles:
            heading = para(
                f"{article.reference} — {article.name}",
                "Heading",
            )
            sub = para(
                _("{supplier} · {packaging} · to share out: {total}").format(
                    supplier=article.supplier,
                    packaging=article.packaging,
                    total=article.total_text,
                ),
                "Small",
            )
            table = data_table(
                [_("No."), _("Household"), _("Quantity"), ""],
                [
                    [str(number), cell(name, 110), quantity, TICK]
                    for number, name, quantity in article.rows
                ],
                [15, 110, 35, 10],
                right=[0, 2],
                centre=[3],
            )
            out.append(CondPageBreak(30 * mm))
            out.append(
                KeepTogether([heading, sub, Spacer(1, 1.5 * mm), table])
                if len(article.rows) < 25
                else heading
            )
            if len(article.rows) >= 25:
                out.extend([sub, Spacer(1, 1.5 * mm), table])
        return out

    def _by_household(self) -> list[Flowable]:
        out: list[Flowable] = []
        for household in self.document.households:
            heading = para(
                _("No. {number} — {name}").format(number=household.number, name=household.name),
                "Title",
            )
            rows: list[list[object]] = [
                [
                    reference,
                    cell(name, 70),
                    cell(supplier, 35),
                    quantity,
                    money(amount),
                    TICK,
                ]
                for reference, name, supplier, quantity, amount in household.rows
            ]
            rows.append([_("Total excl. VAT"), "", "", "", money(household.excl_vat_cents), ""])
            rows.append([_("Total incl. VAT"), "", "", "", money(household.incl_vat_cents), ""])
            table = data_table(
                [_("Ref."), _("Article"), _("Supplier"), _("Quantity"), _("Excl. VAT"), ""],
                rows,
                [22, 70, 35, 23, 20, 10],
                right=[3, 4],
                centre=[5],
                extra=[
                    ("FONTNAME", (0, -1), (-1, -1), BOLD),
                    ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ],
            )
            out.append(CondPageBreak(35 * mm))
            out.append(
                KeepTogether([heading, Spacer(1, 1 * mm), table]) if len(rows) < 25 else heading
            )
            if len(rows) >= 25:
                out.append(table)
            out.append(Spacer(1, 4 * mm))
        return out

    def _matrix(self) -> list[Flowable]:
        matrix = self.document.matrix
        assert matrix is not None
        usable = self.width - (MATRIX_NAME_MM + MATRIX_NUMBER_MM) * mm
        per_page = max(1, int(usable // (MATRIX_COLUMN_MM * mm)))
        out: list[Flowable] = []
        count = len(matrix.articles)
        names = [
            (str(number), fit(name, FONT, 8, MATRIX_NAME_MM * mm - 6))
            for number, name in matrix.households
        ]
        for start in range(0, count, per_page):
            stop = min(count, start + per_page)
            if start:
                out.append(PageBreak())
            out.append(
                para(
                    _("Articles {first} to {last} of {count}").format(
                        first=start + 1, last=stop, count=count
                    ),
                    "Bold",
                )
            )
            header: list[object] = [_("No."), _("Household")]
            header.extend(
                para(
                    f"<b>{_esc(reference)}</b><br/>{_esc(name)} ({_esc(unit)})", "Fine", markup=True
                )
                for reference, name, unit in matrix.articles[start:stop]
            )
            rows = [
                [number, name, *cells[start:stop]]
                for (number, name), cells in zip(names, matrix.cells, strict=True)
            ]
            rows.append(["", _("Total"), *matrix.totals[start:stop]])
            widths = [MATRIX_NUMBER_MM, MATRIX_NAME_MM] + [MATRIX_COLUMN_MM] * (stop - start)
            extra: list[tuple[object, ...]] = [
                ("FONTNAME", (0, -1), (-1, -1), BOLD),
                ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
                ("LINEBEFORE", (2, 0), (2, -1), 1.2, INK),
                ("GRID", (2, 0), (-1, -1), 0.25, "#9a9a9a"),
            ]
            for column in range(2 + 5, 2 + (stop - start), 5):
                extra.append(("LINEBEFORE", (column, 0), (column, -1), 1.2, INK))
            table: Table = data_table(
                header,
                rows,
                widths,
                right=[0],
                centre=range(2, 2 + stop - start),
                font_size=8,
                extra=extra,
            )
            out.append(table)
        return out


def _esc(text: str) -> str:
    from invoices.base import esc

    return esc(text)
