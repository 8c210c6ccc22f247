"""The coordinator's screen: one place, function keys for everything.

- F2 finds a member (or scan their card, or type a number or a name in the field): their
  details, household, cards, status and their shift ledger explained in words. Then F6 edits
  the basic details, F7 attaches them to a household (or detaches them), F8 declares their card
  lost (it stops working at once; a new card is issued by the core).
- F3 shows a week of the shift calendar with the places taken and the fill rate of each shift;
  PgUp/PgDn move by a week.
- F4 generates the shifts of a period; F5 applies a closure (dates and a reason, confirmed,
  the shifts inside are cancelled by the core).
- F9 records a stock receipt (product, quantity, unit cost); F10 an inventory count (starting
  an inventory first, when none is under way, after asking); F11 shows the inventory under way
  in words (products counted, differences and their value at cost) and closes it once
  confirmed (the core books the differences).

With ``[tui] coordinator_pin`` set the screen is locked until the PIN is typed, and locks again
when the coordinator leaves for another screen (or presses F12).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Footer, Header, Static

from coop.dates import format_date
from coop.i18n import N_, _, ngettext
from tui.messages import WorkFailed
from tui.screens.base import ComptoirScreen
from tui.screens.coordinator import jobs
from tui.screens.coordinator.forms import Field, FormDialog, PinDialog
from tui.screens.desk import read_member_scan
from tui.widgets.scan_field import ScanField
from tui.work import run_db


def _date(text: str, label: str) -> date:
    from coop.dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as error:
        raise ValueError(f"{label}: {error}") from error


CARD_ENDS = {
    "lost": N_("lost"),
    "replaced": N_("replaced"),
    "left": N_("member left"),
    "erased": N_("data erased"),
}
"""Why a card ended (``coop.members.rules.CardEndReason``), in words."""


def product_code(text: str) -> str:
    """A product's barcode as scanned (AZERTY digits mapped back by the core) or its code."""
    from coop.scanning import ScanError, normalise_scan

    try:
        digits = normalise_scan(text)
    except ScanError as error:
        raise ValueError(_("That is far too long for a product code.")) from error
    return digits if digits.isdigit() else text.strip()


def fill_bar(taken: int, seats: int, width: int = 10) -> str:
    if not seats:
        return ""
    full = round(width * taken / seats)
    return "█" * full + "░" * (width - full) + f" {round(100 * taken / seats):>3} %"


class CoordinatorScreen(ComptoirScreen):
    CSS_PATH = "coordinator.tcss"
    AUTO_FOCUS = "#scan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "member_search", N_("Member"), id="coord-member", key_display="F2"),
        Binding("f3", "week(0)", N_("Week"), id="coord-week", key_display="F3"),
        Binding("pageup", "week(-1)", N_("Previous week"), id="coord-prev", key_display="PgUp"),
        Binding("pagedown", "week(1)", N_("Next week"), id="coord-next", key_display="PgDn"),
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
    ]

    def __init__(self) -> None:
        super().__init__(id="coordinator")
        self.member: dict[str, Any] | None = None
        self.monday: date | None = None
        self.unlocked = not self.pin
        self.asked = False
        self.busy = False
        self.pending_count: tuple[str, str] = ("", "")
        self.after_unlock: str | None = None

    @property
    def pin(self) -> str:
        return self.app.settings.tui.coordinator_pin  # type: ignore[attr-defined]

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
            with VerticalScroll(id="coord-member-view"):
                yield Static(id="member-view", classes="coord-text")
            with Vertical(id="coord-week-view"):
                yield Static(id="week-title")
                yield DataTable(id="week-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="coord-result"):
                yield Static(id="result-view", classes="coord-text")
        yield Static(id="coord-info")
        yield ScanField(_("Scan a member card, or type a member number or a name, then Enter"))
        yield Footer(compact=True)

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
            ]
        )

    def on_mount(self) -> None:
        self.sub_title = _("Coordination")
        table = self.query_one("#week-table", DataTable)
        table.can_focus = False
        table.add_column(_("Day"), key="day", width=11)
        table.add_column(_("Time"), key="time", width=13)
        table.add_column(_("Shift"), key="name", width=26)
        table.add_column(_("Places"), key="places", width=7)
        table.add_column(_("Filled"), key="fill", width=16)
        table.add_column(_("Note"), key="note", width=30)
        if not self.unlocked:
            self.show_view("coord-locked")
            self.call_after_refresh(self.ask_pin_once)
        self.call_after_refresh(self.app.screen_ready)  # type: ignore[attr-defined]

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
        self.member = None
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
        }[action]()

    def allowed(self) -> bool:
        if self.unlocked:
            return True
        self.ask_pin()
        return False

    # --- helpers ------------------------------------------------------------------------------

    @property
    def settings(self) -> Any:
        return self.app.settings  # type: ignore[attr-defined]

    def context(self) -> dict[str, Any]:
        app: Any = self.app
        return {"actor": app.actor, "now": app.clock()}

    def today(self) -> date:
        from coop.clock import local_date

        return local_date(self.app.clock())  # type: ignore[attr-defined]

    def show_view(self, name: str) -> None:
        self.query_one("#coord-views", ContentSwitcher).current = name

    def say(self, text: str, level: str = "info") -> None:
        info = self.query_one("#coord-info", Static)
        info.remove_class("-info", "-error", "-ok")
        info.add_class(f"-{level}")
        info.update(text)
        if level == "error":
            self.app.bell()

    def on_work_failed(self, message: WorkFailed) -> None:
        message.stop()
        self.busy = False
        self.say(message.text, "error")

    def run(self, tag: str, job: Any, *, read_only: bool = False) -> None:
        if self.busy:
            return
        self.busy = not read_only
        run_db(self, tag, job, read_only=read_only)

    def show_result(self, text: str) -> None:
        self.busy = False
        self.query_one("#result-view", Static).update(text)
        self.show_view("coord-result")
        self.say("")

    # --- members ------------------------------------------------------------------------------

    def on_scan_field_scanned(self, event: ScanField.Scanned) -> None:
        event.stop()
        if not self.allowed():
            return
        kind, value = read_member_scan(event.text)
        if kind == "error":
            self.say(value, "error")
        elif kind == "name":
            self.search(value)
        else:
            self.run(
                "number",
                lambda session: jobs.find_number(session, value),
                read_only=True,
            )

    def when_number(self, number: int) -> None:
        self.load_member(number)

    def action_member_search(self) -> None:
        if self.allowed():
            self.search("")

    def search(self, query: str) -> None:
        from tui.screens.member_search import MemberSearchDialog

        def chosen(number: int | None) -> None:
            if number is not None:
                self.load_member(number)

        self.app.push_screen(MemberSearchDialog(query), chosen)

    def load_member(self, number: int) -> None:
        settings, at = self.settings, self.app.clock()  # type: ignore[attr-defined]
        self.run(
            "member",
            lambda session: jobs.member_view(session, number, settings=settings, at=at),
            read_only=True,
        )

    def when_member(self, member: dict[str, Any]) -> None:
        self.member = member
        self.query_one("#member-view", Static).update(self.member_text(member))
        self.show_view("coord-member-view")
        self.query_one("#coord-member-view", VerticalScroll).scroll_home(animate=False)

    @staticmethod
    def member_text(member: dict[str, Any]) -> Text:
        from coop.dates import format_date as day

        text = Text()
        text.append(f"{member['number']}  {member['name']}\n", style="bold")
        fields = member["fields"]
        labels = {
            "email": _("Email"),
            "phone": _("Phone"),
            "street": _("Street"),
            "postcode": _("Postcode"),
            "city": _("City"),
        }
        for key, label in labels.items():
            text.append(_("{label}: {value}").format(label=label, value=fields[key] or "—") + "\n")
        text.append(
            _("Joined on {date}").format(date=day(date.fromisoformat(member["joined_on"]))) + "\n"
        )
        if member["left_on"]:
            text.append(
                _("Left on {date}").format(date=day(date.fromisoformat(member["left_on"]))) + "\n"
            )
        text.append("\n" + _("Household") + "\n", style="underline")
        for person in member["household"]:
            role = _("main member") if person["main"] else _("associated person")
            text.append(f"  {person['number']:>6}  {person['name']} ({role})\n")
        text.append("\n" + _("Cards") + "\n", style="underline")
        for card in member["cards"]:
            if card["ended_on"]:
                reason = card["reason"]
                state = _("ended on {date} ({reason})").format(
                    date=day(date.fromisoformat(card["ended_on"])),
                    reason=_(CARD_ENDS[reason]) if reason in CARD_ENDS else reason,
                )
            else:
                state = _("in use since {date}").format(
                    date=day(date.fromisoformat(card["issued_on"]))
                )
            text.append(f"  {card['barcode']}  {state}\n")
        check = member["check"]
        text.append("\n" + _("Shifts") + "\n", style="underline")
        text.append(_("Status: {status}").format(status=check["status_text"]) + "\n")
        text.append(check["counters_text"] + "\n")
        if check.get("next_shift"):
            text.append(_("Next shift: {shift}").format(shift=check["next_shift"]["text"]) + "\n")
        text.append("\n" + _("Shift ledger, in words") + "\n", style="underline")
        if not member["ledger"]:
            text.append("  " + _("No entry yet.") + "\n")
        for entry in member["ledger"]:
            line = f"  {day(date.fromisoformat(entry['day']))}  {entry['delta']:+d}  " + _(
                "{label}: {value}"
            ).format(label=entry["counter"], value=entry["text"])
            if entry["note"]:
                line += f" — {entry['note']}"
            text.append(line + "\n")
        return text

    def need_member(self) -> dict[str, Any] | None:
        if not self.allowed():
            return None
        if self.member is None:
            self.say(_("Find a member first (F2 or scan their card)."), "error")
            return None
        return self.member

    def action_edit(self) -> None:
        member = self.need_member()
        if member is None:
            return
        values = member["fields"]
        labels = [
            ("first_name", _("First name")),
            ("last_name", _("Last name")),
            ("email", _("Email")),
            ("phone", _("Phone")),
            ("street", _("Street")),
            ("postcode", _("Postcode")),
            ("city", _("City")),
        ]
        fields = [
            Field(key, label, values[key], scans=key in ("phone", "postcode"))
            for key, label in labels
        ]
        number = member["number"]

        def done(changes: dict[str, str] | None) -> None:
            if changes is None:
                return
            context = self.context()
            self.run(
                "edited",
                lambda session: (number, jobs.edit_member(session, number, changes, **context)),
            )

        self.app.push_screen(
            FormDialog(
                _("Member {number} {name}").format(number=number, name=member["name"]), fields
            ),
            done,
        )

    def when_edited(self, result: tuple[int, int]) -> None:
        self.busy = False
        number, changed = result
        self.say(
            ngettext(
                "Member {number}: {count} detail changed.",
                "Member {number}: {count} details changed.",
                changed,
            ).format(number=number, count=changed)
            if changed
            else _("Nothing changed."),
            "ok",
        )
        self.load_member(number)

    def action_household(self) -> None:
        from tui.screens.dialogs import TextDialog

        member = self.need_member()
        if member is None:
            return
        number, settings = member["number"], self.settings

        def done(main: str | None) -> None:
            if main is None:
                return
            context = self.context()
            self.run(
                "household",
                lambda session: (
                    number,
                    jobs.set_household(session, number, main, settings=settings, **context),
                ),
            )

        self.app.push_screen(
            TextDialog(
                _("Household of member {number} {name}").format(number=number, name=member["name"]),
                _(
                    "Number or card of the main member they shop with (empty: they leave"
                    " the household)"
                ),
                required=False,
                accept_scans=True,
            ),
            done,
        )

    def when_household(self, result: tuple[int, int | None]) -> None:
        self.busy = False
        number, main = result
        self.say(
            _("Member {number} is now in the household of member {main}.").format(
                number=number, main=main
            )
            if main
            else _("Member {number} has no household any more.").format(number=number),
            "ok",
        )
        self.load_member(number)

    def action_card_lost(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        member = self.need_member()
        if member is None:
            return
        number, settings = member["number"], self.settings
        in_use = [card["barcode"] for card in member["cards"] if not card["ended_on"]]

        def done(yes: bool | None) -> None:
            if yes:
                context = self.context()
                self.run(
                    "card",
                    lambda session: (
                        number,
                        jobs.card_lost(session, number, settings=settings, **context),
                    ),
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Card {card} of member {number} is lost: block it and issue a new card?").format(
                    card=in_use[0] if in_use else "—", number=number
                ),
                yes=_("block and issue"),
                no=_("back"),
            ),
            done,
        )

    def when_card(self, result: tuple[int, str]) -> None:
        self.busy = False
        number, barcode = result
        self.say(
            _("The lost card is blocked; new card for member {number}: {card}").format(
                number=number, card=barcode
            ),
            "ok",
        )
        self.load_member(number)

    # --- the shift calendar -------------------------------------------------------------------

    def action_week(self, step: int) -> None:
        if not self.allowed():
            return
        if step == 0 or self.monday is None:
            today = self.today()
            self.show_week(today - timedelta(days=today.weekday(), weeks=-step))
        else:
            self.show_week(self.monday + timedelta(weeks=step))

    def show_week(self, monday: date) -> None:
        self.monday = monday
        self.run("week", lambda session: jobs.week(session, monday), read_only=True)

    def when_week(self, data: dict[str, Any]) -> None:
        table = self.query_one("#week-table", DataTable)
        table.clear()
        rows = data["rows"]
        seats = taken = 0
        letters = sorted({row["week"] for row in rows if row.get("week")})
        for row in rows:
            day = date.fromisoformat(row["day"])
            times = f"{row['starts_at'][11:16]}–{row['ends_at'][11:16]}"
            if row["cancelled"]:
                note = Text(
                    _("cancelled: {reason}").format(reason=row["cancel_reason"] or "—"),
                    style="dim",
                )
                fill = ""
            else:
                seats += row["seats"]
                taken += row["taken"]
                fill = fill_bar(row["taken"], row["seats"])
                free = row["seats"] - row["taken"]
                note = (
                    Text(
                        "⚠ "
                        + ngettext(
                            "{free} free place of {seats}", "{free} free places of {seats}", free
                        ).format(free=free, seats=row["seats"]),
                        style="bold yellow",
                    )
                    if free
                    else Text("")
                )
            table.add_row(
                format_date(day, "EEE dd/MM"),
                times,
                row["name"],
                f"{row['taken']}/{row['seats']}",
                fill,
                note,
                key=str(row["id"]),
            )
        monday = date.fromisoformat(data["monday"])
        summary = _("Week of {date}").format(date=format_date(monday, "long"))
        if letters:
            summary += " — " + _("week {letter}").format(letter="/".join(letters))
        if rows:
            summary += " — " + _("{count} shifts, {taken}/{seats} places taken ({rate} %)").format(
                count=len(rows),
                taken=taken,
                seats=seats,
                rate=round(100 * taken / seats) if seats else 0,
            )
        else:
            summary += " — " + _("no shift (F4 generates them)")
        self.query_one("#week-title", Static).update(summary)
        self.show_view("coord-week-view")

    def action_generate(self) -> None:
        if not self.allowed():
            return
        first = self.today() + timedelta(days=1)
        last = first + timedelta(days=27)
        settings = self.settings

        def validate(values: dict[str, str]) -> tuple[date, date]:
            start = _date(values["first"], _("From"))
            end = _date(values["last"], _("To"))
            if end < start:
                raise ValueError(_("the end date is before the start date"))
            return start, end

        def done(period: tuple[date, date] | None) -> None:
            if period is None:
                return
            context = self.context()
            self.monday = period[0] - timedelta(days=period[0].weekday())
            self.run(
                "generated",
                lambda session: jobs.generate(
                    session, period[0], period[1], settings=settings, **context
                ),
            )

        self.app.push_screen(
            FormDialog(
                _("Generate the shifts of a period"),
                [
                    Field("first", _("From (dd/mm/yyyy)"), format_date(first)),
                    Field("last", _("To (dd/mm/yyyy)"), format_date(last)),
                ],
                validate,
            ),
            done,
        )

    def when_generated(self, text: str) -> None:
        self.show_result(text)

    def action_closure(self) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if not self.allowed():
            return
        settings = self.settings

        def validate(values: dict[str, str]) -> tuple[date, date, str]:
            start = _date(values["first"], _("From"))
            end = _date(values["last"] or values["first"], _("To"))
            if end < start:
                raise ValueError(_("the closure ends before it starts"))
            if not values["label"]:
                raise ValueError(_("Give the reason of the closure."))
            return start, end, values["label"]

        def confirmed(closure: tuple[date, date, str], yes: bool | None) -> None:
            if not yes:
                self.say(_("Nothing was changed."))
                return
            context = self.context()
            self.monday = closure[0] - timedelta(days=closure[0].weekday())
            self.run(
                "closed",
                lambda session: jobs.closure(session, *closure, settings=settings, **context),
            )

        def done(closure: tuple[date, date, str] | None) -> None:
            if closure is None:
                return
            self.app.push_screen(
                ConfirmDialog(
                    _(
                        "Close the shop from {first} to {last} ({label})? The shifts inside are"
                        " cancelled and their bookings handled by the rules."
                    ).format(
                        first=format_date(closure[0]),
                        last=format_date(closure[1]),
                        label=closure[2],
                    ),
                    yes=_("close"),
                    no=_("back"),
                ),
                lambda yes: confirmed(closure, yes),
            )

        self.app.push_screen(
            FormDialog(
                _("Close the shop (closure)"),
                [
                    Field("first", _("From (dd/mm/yyyy)")),
                    Field("last", _("To (dd/mm/yyyy; empty: one day)")),
                    Field("label", _("Reason (shown to the members)")),
                ],
                validate,
            ),
            done,
        )

    def when_closed(self, text: str) -> None:
        self.show_result(text)

    # --- stock --------------------------------------------------------------------------------

    def action_receipt(self) -> None:
        if not self.allowed():
            return

        def validate(values: dict[str, str]) -> tuple[str, str, int | None]:
            from coop.money import MoneyError, parse_amount

            if not values["product"]:
                raise ValueError(_("Scan or type the product first."))
            if not values["quantity"]:
                raise ValueError(_("Type the quantity received."))
            values["product"] = product_code(values["product"])
            cost = None
            if values["cost"]:
                try:
                    cost = parse_amount(values["cost"])
                except MoneyError as error:
                    raise ValueError(str(error)) from error
                if cost < 0:
                    raise ValueError(_("expected an amount of zero or more"))
            return values["product"], values["quantity"], cost

        def done(line: tuple[str, str, int | None] | None) -> None:
            if line is None:
                return
            context = self.context()
            self.run("received", lambda session: jobs.receive(session, *line, **context))

        self.app.push_screen(
            FormDialog(
                _("Stock receipt"),
                [
                    Field("product", _("Product (scan or code)"), scans=True),
                    Field("quantity", _("Quantity (pieces, or 2,5 kg)")),
                    Field("cost", _("Unit cost excluding VAT (optional, e.g. 1,20)")),
                ],
                validate,
            ),
            done,
        )

    def when_received(self, text: str) -> None:
        self.show_result(text)

    def action_count(self) -> None:
        if not self.allowed():
            return

        def validate(values: dict[str, str]) -> tuple[str, str]:
            if not values["product"]:
                raise ValueError(_("Scan or type the product first."))
            if not values["quantity"]:
                raise ValueError(_("Type the quantity counted."))
            values["product"] = product_code(values["product"])
            return values["product"], values["quantity"]

        def done(line: tuple[str, str] | None) -> None:
            if line is not None:
                self.record_count(line, start=False)

        self.app.push_screen(
            FormDialog(
                _("Inventory count"),
                [
                    Field("product", _("Product (scan or code)"), scans=True),
                    Field("quantity", _("Quantity counted (pieces, or 2,5 kg)")),
                ],
                validate,
            ),
            done,
        )

    def record_count(self, line: tuple[str, str], *, start: bool) -> None:
        context = self.context()
        self.pending_count = line
        self.run(
            "counted",
            lambda session: jobs.count(session, *line, start=start, **context),
        )

    def when_counted(self, result: str | jobs.NoInventory) -> None:
        from tui.screens.dialogs import ConfirmDialog

        self.busy = False
        if isinstance(result, jobs.NoInventory):
            line = self.pending_count

            def answered(yes: bool | None) -> None:
                if yes:
                    self.record_count(line, start=True)
                else:
                    self.say(_("Nothing was changed."))

            self.app.push_screen(
                ConfirmDialog(
                    _("No inventory is under way. Start one now and record this count?"),
                    yes=_("start"),
                    no=_("back"),
                ),
                answered,
            )
            return
        self.show_result(result)

    def action_close_inventory(self) -> None:
        if self.allowed():
            self.run("inventory", jobs.inventory_preview, read_only=True)

    def when_inventory(self, result: str | jobs.NoInventory) -> None:
        from tui.screens.dialogs import ConfirmDialog

        if isinstance(result, jobs.NoInventory):
            self.say(
                _("No inventory is under way: F10 starts one with the first product counted."),
                "error",
            )
            return
        self.show_result(result)

        def answered(yes: bool | None) -> None:
            if not yes:
                self.say(_("Nothing was changed: the inventory is still under way."))
                return
            context = self.context()
            self.run(
                "inventory_closed",
                lambda session: jobs.close_inventory(session, **context),
            )

        self.app.push_screen(
            ConfirmDialog(
                result + "\n\n" + _("Close this inventory and book its differences in the stock?"),
                yes=_("close"),
                no=_("back"),
            ),
            answered,
        )

    def when_inventory_closed(self, text: str) -> None:
        self.show_result(text)
