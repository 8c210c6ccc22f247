"""A small coop for the grouped-order tests: five members (member 5 lives in member 1's
household), a wholesaler whose price list links two catalogue products, a farm, a clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from coop.catalog.models import Producer, Product
from coop.clock import SHOP_TIMEZONE
from coop.config import MemberSettings
from coop.members import service as members
from coop.orders import articles, ordering, service
from coop.orders.service import SupplierIn

OPENS = datetime(2026, 11, 16, 9, 0, tzinfo=SHOP_TIMEZONE)  # Monday
BOXFILL = datetime(2026, 11, 19, 12, 0, tzinfo=SHOP_TIMEZONE)  # Thursday noon
CLOSES = datetime(2026, 11, 20, 18, 0, tzinfo=SHOP_TIMEZONE)  # Friday evening
DELIVERY = date(2026, 11, 24)

# reference; name; unit; case_size; price excl. VAT; VAT; minimum; product
WHOLESALER_CSV = (
    "référence;désignation;unité;colisage;prix_ht;tva;minimum;produit\n"
    "DB100;Spaghetti 500 g;piece;6;1,60;5,5;;3153600608514\n"  # linked by barcode
    "DB200;Huile d'olive 75 cl;piece;4;10,11;5,5;;\n"  # linked by supplier_ref
    "DB300;Savon de Marseille;piece;3;2,50;20;;\n"  # no catalogue product
    "DB400;Lentilles vertes vrac;kg;5;3,47;5,5;;\n"  # sack of 5 kg, sold by weight
    "DB500;Chocolat noir;piece;10;1,20;5,5;20;\n"  # minimum two cases
)


@dataclass
class Coop:
    session: object
    actor: object
    now: datetime
    tmp_path: Path

    def at(self, **delta: int) -> datetime:
        return OPENS + timedelta(**delta)

    def csv(self, text: str, name: str = "tarif.csv") -> Path:
        path = self.tmp_path / name
        path.write_bytes(text.encode("utf-8-sig"))
        return path

    def cycle(
        self,
        code: str = "S47",
        *,
        rounding: str = "foodsoft",
        strategy: str = "fifo",
        boxfill: datetime | None = BOXFILL,
        open_it: bool = True,
    ):
        cycle = service.create_cycle(
            self.session,
            code=code,
            name="Commande de novembre",
            suppliers=[SupplierIn("DISTRI", rounding)],
            opens_at=OPENS,
            closes_at=CLOSES,
            boxfill_at=boxfill,
            delivery_on=DELIVERY,
            delivery_place="Local de la coop",
            strategy=strategy,
            actor=self.actor,
            now=OPENS - timedelta(days=2),
        )
        articles.import_articles(
            self.session,
            code=code,
            supplier_code="DISTRI",
            path=self.csv(WHOLESALER_CSV),
            actor=self.actor,
            now=OPENS - timedelta(days=2),
        )
        if open_it:
            service.open_cycle(
                self.session, code=code, actor=self.actor, now=OPENS - timedelta(days=1)
            )
        return cycle

    def order(self, member: int, reference: str, quantity: int, tolerance: int = 0, **when):
        return ordering.order(
            self.session,
            code="S47",
            member_number=member,
            reference=reference,
            quantity=quantity,
            tolerance=tolerance,
            actor=self.actor,
            now=self.at(**when) if when else self.at(hours=1),
        )


@pytest.fixture
def coop(session, actor, tmp_path) -> Coop:
    return make_coop(session, actor, tmp_path)


def make_coop(session, actor, tmp_path) -> Coop:
    """Members, producers and products in ``session`` (flushed, not committed)."""
    now = OPENS - timedelta(days=3)
    for number in (1, 2, 3, 4, 5):
        members.create_member(
            session,
            actor=actor,
            now=now,
            settings=MemberSettings(),
            first_name=f"Membre{number}",
            last_name="Test",
            number=number,
            joined_on=date(2025, 1, 1),
            main_member=members.get_by_number(session, 1) if number == 5 else None,
        )
    distri = Producer(code="DISTRI", name="Distri'Bio", created_at=now, updated_at=now)
    farm = Producer(code="FERME", name="La Ferme", created_at=now, updated_at=now)
    session.add_all([distri, farm])
    session.flush()
    session.add_all(
        [
            Product(
                barcode="3153600608514",
                name="Spaghetti 500 g",
                producer_id=distri.id,
                price_cents=215,
                vat_rate_bp=550,
                cost_cents=160,
                supplier_ref="DB432039",
                created_at=now,
                updated_at=now,
            ),
            Product(
                barcode="3153600609818",
                name="Huile d'olive vierge extra 75 cl",
                producer_id=distri.id,
                price_cents=1290,
                vat_rate_bp=550,
                cost_cents=1011,
                supplier_ref="DB200",
                created_at=now,
                updated_at=now,
            ),
            Product(
                internal_code="VRAC-LENT",
                name="Lentilles vertes",
                producer_id=farm.id,
                unit="kg",
                by_weight=True,
                price_cents=490,
                vat_rate_bp=550,
                cost_cents=347,
                created_at=now,
                updated_at=now,
            ),
        ]
    )
    session.flush()
    return Coop(session, actor, now, tmp_path)


# The farm's price list for a two-supplier cycle: carrots by weight at 5.5 %, cider at 20 %.
FARM_CSV = (
    "référence;désignation;unité;colisage;prix_ht;tva;minimum;produit\n"
    "FE10;Carottes vrac;kg;1;2,10;5,5;;\n"
    "FE20;Cidre brut 75 cl;piece;1;3,35;20;;\n"
)


def settle_two_suppliers(coop: Coop, code: str = "D49", **received: int):
    """A cycle ordering from the wholesaler and the farm, closed, sent, received (as ordered,
    or ``received`` {reference: quantity}) and settled; returns the settlement.

    Ordered: spaghetti 6 and soap 3 from DISTRI; carrots 4 kg and cider 3 from FERME.
    """
    from coop.config import AccountSettings
    from coop.orders import delivery

    service.create_cycle(
        coop.session,
        code=code,
        name="Commande de décembre",
        suppliers=[SupplierIn("DISTRI", "foodsoft"), SupplierIn("FERME", "foodsoft")],
        opens_at=OPENS,
        closes_at=CLOSES,
        delivery_on=DELIVERY,
        actor=coop.actor,
        now=OPENS - timedelta(days=2),
    )
    for supplier, text in (("DISTRI", WHOLESALER_CSV), ("FERME", FARM_CSV)):
        articles.import_articles(
            coop.session,
            code=code,
            supplier_code=supplier,
            path=coop.csv(text, f"{supplier}.csv"),
            actor=coop.actor,
            now=OPENS - timedelta(days=2),
        )
    service.open_cycle(coop.session, code=code, actor=coop.actor, now=OPENS - timedelta(days=1))
    wanted = {2: {"DB100": 6, "DB300": 3, "FE10": 2500, "FE20": 2}, 3: {"FE10": 1500, "FE20": 1}}
    for number, lines in wanted.items():
        for reference, quantity in lines.items():
            ordering.order(
                coop.session,
                code=code,
                member_number=number,
                reference=reference,
                quantity=quantity,
                actor=coop.actor,
                now=coop.at(hours=number),
            )
    service.close(coop.session, code=code, actor=coop.actor, now=CLOSES)
    service.send(coop.session, code=code, actor=coop.actor, now=CLOSES + timedelta(hours=1))
    later = CLOSES + timedelta(days=4)
    delivery.receive(coop.session, code=code, received=received, actor=coop.actor, now=later)
    return delivery.settle(
        coop.session, code=code, settings=AccountSettings(), actor=coop.actor, now=later
    )
