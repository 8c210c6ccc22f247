"""Every table of every context, imported in one place so the metadata is complete.

Alembic's autogenerate and ``alembic check`` compare this metadata with the database.
"""

from coop.accounts.models import (
    AccountMovement,
    Invoice,
    InvoiceLine,
    InvoiceVat,
    MemberAccount,
    NumberSeries,
)
from coop.audit import AuditEntry
from coop.catalog.models import BarcodeRule, Producer, Product
from coop.db import Base
from coop.members.models import Member, MemberCard, MemberCategory
from coop.orders.models import (
    OrderAllocation,
    OrderArticle,
    OrderCharge,
    OrderCycle,
    OrderCycleSupplier,
    OrderDelivery,
    OrderIncrement,
)
from coop.outbox import OutboxRow
from coop.shifts.models import (
    Shift,
    ShiftAttendance,
    ShiftClosure,
    ShiftCycle,
    ShiftExtension,
    ShiftHolding,
    ShiftLeave,
    ShiftLedgerEntry,
    ShiftMemberState,
    ShiftSeat,
    ShiftSkill,
    ShiftStateLog,
    ShiftTemplate,
)
from coop.stock.models import Inventory, InventoryCount, StockLevel, StockMove
from coop.till.models import (
    CashMovementRow,
    CategoryPriceRule,
    JournalEntry,
    Sale,
    SaleLineRow,
    SalePayment,
    SaleVat,
    Till,
    TillClosure,
    TillSession,
)

__all__ = [
    "AccountMovement",
    "AuditEntry",
    "BarcodeRule",
    "Base",
    "CashMovementRow",
    "CategoryPriceRule",
    "Inventory",
    "InventoryCount",
    "Invoice",
    "InvoiceLine",
    "InvoiceVat",
    "JournalEntry",
    "Member",
    "MemberAccount",
    "MemberCard",
    "MemberCategory",
    "NumberSeries",
    "OrderAllocation",
    "OrderArticle",
    "OrderCharge",
    "OrderCycle",
    "OrderCycleSupplier",
    "OrderDelivery",
    "OrderIncrement",
    "OutboxRow",
    "Producer",
    "Product",
    "Sale",
    "SaleLineRow",
    "SalePayment",
    "SaleVat",
    "Shift",
    "ShiftAttendance",
    "ShiftClosure",
    "ShiftCycle",
    "ShiftExtension",
    "ShiftHolding",
    "ShiftLeave",
    "ShiftLedgerEntry",
    "ShiftMemberState",
    "ShiftSeat",
    "ShiftSkill",
    "ShiftStateLog",
    "ShiftTemplate",
    "StockLevel",
    "StockMove",
    "Till",
    "TillClosure",
    "TillSession",
]
