"""The coordinator's screen: one place, function keys for everything.

- F2 finds a member (or scan their card, or type a number or a name in the field): their
  details, household, cards, status and their shift ledger explained in words. Then F6 edits
  the basic details, F7 attaches them to a household (or detaches them), F8 declares their card
  lost (it stops working at once; a new card is issued by the core).
- F3 shows a week of the shift calendar with the places taken and the fill rate of each shift;
  PgUp/PgDn move by a week.
- ↑/↓ scroll what is shown when it is longer than the screen (80×24): the scan field keeps
  the focus.
- F4 generates the shifts of a period; F5 applies a closure (dates and a reason, confirmed,
  the shifts inside are cancelled by the core).
- F9 records a stock receipt (product, quantity, unit cost); F10 an inventory count (starting
  an inventory first, when none is under way, after asking); F11 shows the inventory under way
  in words (products counted, differences and their value at cost) and closes it once
  confirmed (the core books the differences).
- Ctrl+N registers a new member (card printed at once); with a member shown, Ctrl+B records
  their leaving, Ctrl+R their return, Ctrl+S a share payment, Ctrl+Y a yearly fee; Ctrl+G shows
  the general assembly's figures (``membership_panel``).
- Ctrl+T shows the treasurer's panel: the accounting outbox (counts per state, the oldest
  event waiting, each event needing attention with Odoo's reason); R tries the chosen one
  again, M marks it booked by hand with a reason (``coop sync retry`` / ``resolve``).

Each area is its own panel widget (``member_panel``, ``week_panel``, ``stock_panel``,
``sync_panel``) that runs
its work and handles its results; they share this screen's status line, PIN and busy flag.

With ``[tui] coordinator_pin`` set the screen is locked until the PIN is typed, and locks again
when the coordinator leaves for another screen (or presses F12).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Header, Static

from coop.i18n import N_, _
from tui.messages import WorkFailed
from tui.screens.base import ComptoirScreen
from tui.screens.coordinator.audit_panel import AuditPanel
from tui.screens.coordinator.forms import PinDialog
from tui.screens.coordinator.member_panel import MemberPanel
from tui.screens.coordinator.membership_panel import MEMBERSHIP_BINDINGS, MembershipPanel
from tui.screens.coordinator.stock_panel import StockPanel
from tui.screens.coordinator.sync_panel import SyncPanel
from tui.screens.coordinator.week_panel import WeekPanel
from tui.screens.desk import read_member_scan
from tui.widgets.key_bar import KeyBar
from tui.widgets.scan_field import ScanField

if TYPE_CHECKING:
    from coop.config import Settings


class StatusLine(Static):
    """The coordinator's one status line, shared by every panel (green, red with the bell)."""

    def say(self, text: str, level: str = "info") -> None:
        self.remove_class("-info", "-error", "-ok")
        self.add_class(f"-{level}")
        self.update(Text(text))  # plain text: "[tui]" in a sentence is not Rich markup
        if level == "error":
            self.app.bell()


class CoordinatorScreen(ComptoirScreen):
    CSS_PATH = "coordinator.tcss"
    AUTO_FOCUS = "#scan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "member_search", N_("Member"), id="coord-member", key_display="F2"),
        Binding("f3", "week(0)", N_("Week"), id="coord-week", key_display="F3"),
        Binding("pageup", "week(-1)", N_("Previous week"), id="coord-prev"),
        Binding("pagedown", "week(1)", N_("Next week"), id="coord-next"),
        Binding("f4", "generate", N_("Generate"), id="coord-generate", key_display="F4"),
        Binding("f5", "closure", N_("Closure"), id="coord-closure", key_display="F5"),
        Binding("f6", "edit", N_("Edit"), id="coord-edit", key_display="F6"),
        Binding("f7", "household", N_("Household"), id="coord-household", key_display="F7"),
        Binding("f8", "card_lost", N_("Card lost"), id="coord-card-lost", key_display="F8"),
        Binding("f9", "receipt", N_("Receipt"), id="coord-receipt", key_display="F9"),
        Binding("f10", "count", N_("Count"), id="coord-count", key_display="F10"),
        Binding(
            "f11", "close_inventory", N_("Close inventory"), id="coord-close-inv", key_display="F11"
        ),
        Binding("f12", "lock", N_("Lock"), id="coord-lock", key_display="F12"),
        Binding("ctrl+t", "treasurer", N_("Accounts"), id="coord-treasurer", key_display="Ctrl+T"),
        *MEMBERSHIP_BINDINGS,
        Binding("ctrl+j", "audit", N_("Audit"), id="coord-audit", key_display="Ctrl+J"),
        Binding("down", "scroll(1)", N_("Next line"), show=False),
        Binding("up", "scroll(-1)", N_("Previous line"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="coordinator")
        self.unlocked = not self.pin
        self.asked = False
        self.busy = False
        self.after_unlock: str | None = None

    @property
    def pin(self) -> str:
        return self.comptoir.settings.tui.coordinator_pin

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with ContentSwitcher(initial="coord-home", id="coord-views"):
            with VerticalScroll(id="coord-locked"):
                yield Static(
                    _(
                        "Locked. Press any coordinator key to type the PIN, or Ctrl+P to go to"
                        " another screen."
                    ),
                    classes="coord-text",
                )
            with VerticalScroll(id="coord-home"):
                yield Static(self.home_text(), classes="coord-text")
            yield MemberPanel()
            yield WeekPanel()
            yield StockPanel()
            yield SyncPanel()
            yield MembershipPanel()
            yield AuditPanel()
        yield StatusLine(id="coord-info")
        yield ScanField(_("Scan a member card, or type a member number or a name, then Enter"))
        yield KeyBar()  # every key, on two lines if need be (F1: the list)

    @staticmethod
    def home_text() -> str:
        return "\n".join(
            [
                _("Coordination"),
                "",
                _("F2 or a scan: a member (details, household, cards, shift ledger in words)"),
                _("   then F6 edit, F7 household, F8 card lost"),
                _("F3: the shift calendar of the week (PgUp/PgDn: other weeks)"),
                _("F4: generate shifts · F5: close the shop (closure)"),
                _("F9: stock receipt · F10: inventory count · F11: close the inventory"),
                _("Ctrl+T: the accounts' outbox (what waits for Odoo, what needs attention)"),
                _("Ctrl+N: new member · Ctrl+B leaves · Ctrl+R rejoins (the member shown)"),
                _("Ctrl+S: share payment · Ctrl+Y: yearly fee · Ctrl+G: general assembly figures"),
                _("Ctrl+J: the audit log (of the member shown, or everyone's)"),
            ]
        )

    def on_mount(self) -> None:
        self.sub_title = _("Coordination")
        if not self.unlocked:
            self.show_view("coord-locked")
            self.call_after_refresh(self.ask_pin_once)
        self.call_after_refresh(self.comptoir.screen_ready)

    def on_screen_resume(self) -> None:
        self.query_one(ScanField).focus()
        self.ask_pin_once()

    def ask_pin_once(self) -> None:
        """Locked and not asked since the coordinator came to this screen: ask now."""
        if not self.unlocked and not self.asked and self.app.screen is self:
            self.ask_pin()

    def on_screen_suspend(self) -> None:
        if self.pin and self.app.current_mode != "coordinator":
            self.lock_screen()

    # --- the PIN ------------------------------------------------------------------------------

    def lock_screen(self) -> None:
        if not self.pin:
            return
        self.unlocked = False
        self.asked = False
        self.query_one(MemberPanel).member = None
        self.show_view("coord-locked")

    def action_lock(self) -> None:
        if not self.pin:
            self.say(_("No PIN is set ([tui] coordinator_pin in the configuration)."), "error")
            return
        self.lock_screen()
        self.say(_("Locked."))

    def ask_pin(self) -> None:
        self.asked = True
        if isinstance(self.app.screen, PinDialog):
            return

        def answered(ok: bool | None) -> None:
            if ok:
                self.unlocked = True
                self.show_view("coord-home")
                self.say(_("Unlocked."), "ok")
                if self.after_unlock:
                    self.call_later(self.request, self.after_unlock)
            self.after_unlock = None

        self.app.push_screen(PinDialog(self.pin), answered)

    def request(self, action: str) -> None:
        """An action asked from the command palette (``tui.commands.CoordinatorProvider``)."""
        if not self.unlocked:
            self.after_unlock = action
            self.ask_pin()
            return
        {
            "member": self.action_member_search,
            "week": lambda: self.action_week(0),
            "generate": self.action_generate,
            "closure": self.action_closure,
            "receipt": self.action_receipt,
            "count": self.action_count,
            "close_inventory": self.action_close_inventory,
            "treasurer": self.action_treasurer,
        }[action]()

    def allowed(self) -> bool:
        """The person logged in may see members' personal data (``coop.rights``: a cashier
        sees a member's name, status and balance at the counter, not this screen), and the
        screen's own PIN, if any, was given."""
        from coop.rights import NotAllowed
        from coop.staff.gates import open_personal_data

        app = self.comptoir
        try:  # the rule and its audited refusal: coop.staff.gates, as for the command line
            open_personal_data(app.session_factory, app.actor, now=app.clock())
        except NotAllowed as refusal:
            self.say(str(refusal), "error")
            return False
        if self.unlocked:
            return True
        self.ask_pin()
        return False

    # --- helpers ------------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.comptoir.settings

    def context(self) -> dict[str, Any]:
        return {"actor": self.comptoir.actor, "now": self.comptoir.clock()}

    def today(self) -> date:
        from coop.clock import local_date

        return local_date(self.comptoir.clock())

    def show_view(self, name: str) -> None:
        self.query_one("#coord-views", ContentSwitcher).current = name

    def say(self, text: str, level: str = "info") -> None:
        self.query_one(StatusLine).say(text, level)

    def action_scroll(self, step: int) -> None:
        """↑↓ move what is shown (a member's ledger, a week's shifts) when it is longer than
        the room left at 80×24: the scan field keeps the focus, so no mouse is needed."""
        from textual.widgets import DataTable

        view = self.query_one("#coord-views", ContentSwitcher).visible_content
        if view is None:
            return
        for scroller in (*view.query(DataTable), view):
            if scroller.max_scroll_y > 0:
                # at once: a deferred scroll counts from the old position, so keys pressed
                # before the next refresh (a held arrow, a loaded machine) were lost
                scroller.scroll_relative(y=step, animate=False, immediate=True)
                return

    @on(WorkFailed)
    def failed(self, message: WorkFailed) -> None:
        """Any panel's failure: said on the status line (not as a notification)."""
        message.prevent_default()
        message.stop()
        self.busy = False
        self.say(message.text, "error")

    def show_result(self, text: str) -> None:
        self.busy = False
        self.query_one(StockPanel).show(text)
        self.show_view("coord-result")
        self.say("")

    # --- members (``member_panel.MemberPanel``) ------------------------------------------------

    def on_scan_field_scanned(self, event: ScanField.Scanned) -> None:
        event.stop()
        if not self.allowed():
            return
        kind, value = read_member_scan(event.text)
        if kind == "error":
            self.say(value, "error")
        elif kind == "name":
            self.query_one(MemberPanel).search(value)
        else:
            self.query_one(MemberPanel).find(value)

    def action_member_search(self) -> None:
        if self.allowed():
            self.query_one(MemberPanel).search("")

    def action_edit(self) -> None:
        self.query_one(MemberPanel).edit()

    def action_household(self) -> None:
        self.query_one(MemberPanel).set_household()

    def action_card_lost(self) -> None:
        self.query_one(MemberPanel).card_lost()

    # --- the shift calendar (``week_panel.WeekPanel``) -----------------------------------------

    def action_week(self, step: int) -> None:
        self.query_one(WeekPanel).move(step)

    def action_generate(self) -> None:
        self.query_one(WeekPanel).generate()

    def action_closure(self) -> None:
        self.query_one(WeekPanel).closure()

    # --- stock (``stock_panel.StockPanel``) ------------------------------------------------------

    def action_receipt(self) -> None:
        self.query_one(StockPanel).receipt()

    def action_count(self) -> None:
        self.query_one(StockPanel).count()

    def action_close_inventory(self) -> None:
        self.query_one(StockPanel).close_inventory()

    # --- the accounts' outbox (``sync_panel.SyncPanel``) ----------------------------------------

    def action_treasurer(self) -> None:
        self.query_one(SyncPanel).load()

    # --- joining, leaving, shares and fees (``membership_panel.MembershipPanel``) ----------------

    def action_membership(self, what: str) -> None:
        panel = self.query_one(MembershipPanel)
        {
            "add": panel.add,
            "leave": panel.leave,
            "rejoin": panel.rejoin,
            "shares": panel.pay_shares,
            "fee": panel.pay_fee,
            "figures": panel.figures,
        }[what]()

    # --- the audit log (``audit_panel.AuditPanel``) ---------------------------------------------

    def action_audit(self) -> None:
        member = self.query_one(MemberPanel).member
        if member is None:
            self.query_one(AuditPanel).load()
        else:
            self.query_one(AuditPanel).load(member.number, f"{member.number} {member.name}")
