"""Member-category price rules: which rule a member's basket is priced with, and setting,
removing and listing them (the pure rule itself is ``coop.till.pricing.PriceRule``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coop import audit
from coop.audit import Actor
from coop.errors import InvalidInput, NotFound, Problem
from coop.i18n import _
from coop.members import service as members
from coop.members.models import Member, MemberCategory
from coop.money import ROUNDING
from coop.till.pricing import PriceRule, check_rounding
from coop.till.records import decimal_text
from coop.till.refusals import Refused
from coop.till.till_models import CategoryPriceRule
from coop.till.words import refusal


def price_rule_for(session: Session, member: Member | None) -> PriceRule | None:
    """The price rule of the member's category (the household's main member decides)."""
    if member is None:
        return None
    owner = member.main_member or member
    row = session.scalar(
        select(CategoryPriceRule).where(CategoryPriceRule.category_id == owner.category_id)
    )
    return None if row is None else _rule_of(row)


def _rule_of(row: CategoryPriceRule) -> PriceRule:
    return PriceRule(code=row.code, percent_off=Decimal(row.percent_off), rounding=row.rounding)


def set_price_rule(
    session: Session,
    *,
    category: str,
    percent_off: Decimal,
    actor: Actor,
    now: datetime,
    code: str | None = None,
    rounding: str | None = None,
) -> PriceRule:
    """Give a member category a price rule (``10``: 10 % off; ``-20``: 20 % more)."""
    found = members.category_by_code(session, category)
    try:
        rule = PriceRule(
            code=(code or found.code).strip(),
            percent_off=percent_off,
            rounding=check_rounding(rounding or ROUNDING),
        )
    except Refused as error:
        raise InvalidInput([Problem(refusal(error), column="--percent-off")]) from error
    row = session.scalar(select(CategoryPriceRule).where(CategoryPriceRule.category_id == found.id))
    before = None
    if row is None:
        row = CategoryPriceRule(category_id=found.id, created_at=now)
        session.add(row)
    else:
        before = {"code": row.code, "percent_off": row.percent_off, "rounding": row.rounding}
    row.code = rule.code
    row.percent_off = decimal_text(rule.percent_off)
    row.rounding = rule.rounding
    row.updated_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="price_rule.set",
        entity="member_category",
        entity_id=found.id,
        before=before,
        after={"code": row.code, "percent_off": row.percent_off, "rounding": row.rounding},
    )
    return rule


def remove_price_rule(session: Session, *, category: str, actor: Actor, now: datetime) -> None:
    found = members.category_by_code(session, category)
    row = session.scalar(select(CategoryPriceRule).where(CategoryPriceRule.category_id == found.id))
    if row is None:
        raise NotFound(_("The category {code} has no price rule.").format(code=found.code))
    before = {"code": row.code, "percent_off": row.percent_off, "rounding": row.rounding}
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        at=now,
        action="price_rule.remove",
        entity="member_category",
        entity_id=found.id,
        before=before,
    )


def price_rules(session: Session) -> list[tuple[MemberCategory, PriceRule]]:
    rows = session.execute(
        select(MemberCategory, CategoryPriceRule)
        .join(CategoryPriceRule, CategoryPriceRule.category_id == MemberCategory.id)
        .order_by(MemberCategory.code)
    )
    return [(category, _rule_of(rule)) for category, rule in rows]
