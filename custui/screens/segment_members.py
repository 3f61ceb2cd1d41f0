"""SegmentMembersScreen: the customers of one segment, as in the lookup, sortable and filtered.

Actions apply to the members the filter shows (all of them when it is empty):
Enter opens a profile, e exports them to CSV, c logs a campaign interaction for each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from custui.domain.segments import SegmentSummary
from custui.domain.text import fold
from custui.i18n import count_text, get_locale, t
from custui.keymap import key
from custui.screens.app_access import app_of
from custui.screens.records_screen import RecordsScreen
from custui.services.customer_view import CustomerRow, longest_labels, make_row, summarize
from custui.services.workspace import Workspace
from custui.widgets.customer_table import CustomerTable
from custui.widgets.footer import keys_footer
from custui.widgets.labels import LabelledModal
from custui.widgets.safe import plain, safe_str
from custui.widgets.search_box import SearchBox

SHOW_LIMIT = 1000  # rows put in the table at once; the filter narrows the rest
SORT_KEYS = ("name", "code", "spend", "last_order", "lifecycle", "tier")


@dataclass(frozen=True)
class Member:
    """One member's table row plus what the filter and the sort read."""

    row: CustomerRow
    haystack: str  # folded name, code, phone, email
    spend: int
    last_order: date | None


def sort_value(member: Member, key: str) -> Any:
    """The value `key` sorts by (money and dates descending are handled by the caller)."""
    if key == "spend":
        return member.spend
    if key == "last_order":
        return member.last_order or date.min
    if key == "name":
        return fold(member.row.name)
    return fold(str(getattr(member.row, key)))


def sort_members(members: list[Member], key: str) -> list[Member]:
    """Members by `key`: names and codes A→Z, spend and last order newest/biggest first."""
    descending = key in ("spend", "last_order")
    return sorted(members, key=lambda m: (sort_value(m, key), m.row.customer_id), reverse=descending)


def filter_members(members: list[Member], query: str) -> list[Member]:
    needle = fold(query.strip())
    if not needle:
        return members
    return [m for m in members if needle in m.haystack]


def load_members(ws: Workspace, ids: list[int], views: Any = None) -> list[Member]:
    """Rows for the given customer ids (the lookup's summaries, cached when `views` is given)."""
    members: list[Member] = []
    for cid in ids:
        doc = ws.store.get("customers", cid)
        if doc is None:
            continue
        summary = views.summary(cid) if views is not None else summarize(ws, cid)
        text = " ".join(str(doc.get(k) or "") for k in ("name", "code", "phone", "phone_norm", "email"))
        members.append(Member(make_row(ws, doc, summary), fold(text), summary.total_spend,
                              summary.last_order))
    return members


class ExportPathModal(LabelledModal[Path | None]):
    """Ask where to write the CSV; dismisses with the path (the folder must exist)."""

    DEFAULT_CSS = """
    ExportPathModal { align: center middle; }
    ExportPathModal > Vertical {
        width: 72; max-width: 100%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    ExportPathModal .title { text-style: bold; margin-bottom: 1; }
    ExportPathModal .error { color: $error; height: auto; }
    ExportPathModal .keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "campaign.cancel", id="export.cancel")]

    def __init__(self, title: str, default: Path) -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), classes="title")
            yield Static(plain(t("memexport.path")))
            yield Input(value=str(self.default), id="export-path", compact=True)
            yield Static(id="export-error", classes="error")
            yield Static(plain(t("memexport.keys")), classes="keys")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def path_done(self, event: Input.Submitted) -> None:
        event.stop()
        raw = event.value.strip()
        if not raw:
            self.query_one("#export-error", Static).update(plain(t("memexport.no_path")))
            return
        path = Path(raw).expanduser()
        if not path.parent.is_dir():
            self.query_one("#export-error", Static).update(
                plain(t("memexport.no_folder", folder=safe_str(path.parent))))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SegmentMembersScreen(RecordsScreen[None]):
    """A segment's members: / filters, s changes the sort, Enter opens, e exports, c campaign."""

    DEFAULT_CSS = """
    SegmentMembersScreen #members-box { height: 1fr; }
    SegmentMembersScreen #members { height: 1fr; }
    SegmentMembersScreen #members-status { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding(key("members.open"), "open_selected", "members.open", id="members.open"),
        # `/` filters on every screen that has a filter (F1 lists it): the footer needs the room
        Binding(key("members.filter"), "focus_filter", "members.filter_key", id="members.filter",
                show=False),
        Binding(key("members.sort"), "next_sort", "members.sort", id="members.sort"),
        Binding(key("members.export"), "export", "members.export", id="members.export"),
        Binding(key("members.campaign"), "campaign", "members.campaign", id="members.campaign"),
        Binding(key("members.message"), "message", "members.message", id="members.message"),
        Binding(key("members.back"), "back", "members.back", id="members.back"),
    ]
    ROW_ACTION = "open_selected"  # Enter or a click on a row (RecordsScreen)

    def __init__(self, workspace: Workspace, segment: SegmentSummary) -> None:
        super().__init__(workspace)
        self.segment = segment
        self.members: list[Member] = []
        self.shown: list[Member] = []
        self.sort_key = "name"
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="members-box"):
            yield SearchBox(placeholder=t("members.filter"), id="members-filter")
            yield CustomerTable(id="members", longest=longest_labels(self.workspace.config))
            yield Static(plain(t("members.loading")), id="members-status")
        yield keys_footer()

    def on_mount(self) -> None:
        self.title = t("members.title", segment=self.segment.label(get_locale()),
                       count=count_text(self.segment.count))
        self.query_one(CustomerTable).focus()
        self.keys_wait_for(self.load())

    def refresh_records(self) -> None:
        """The members' rows with fresh values (the selection kept)."""
        if self.loaded:
            self.load(self.query_one(CustomerTable).selected_id())

    @work(thread=True, exclusive=True, group="members-load", exit_on_error=False)
    def load(self, keep: int | None = None) -> None:
        worker = get_current_worker()
        ids = app_of(self).analytics.members(self.segment.id)
        members = load_members(self.workspace, ids, app_of(self).views)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.loaded_members, members, keep)

    def loaded_members(self, members: list[Member], keep: int | None) -> None:
        self.loaded = True
        self.members = sort_members(members, self.sort_key)
        self.refilter(keep)

    def refilter(self, keep: int | None = None) -> None:
        query = self.query_one("#members-filter", Input).value
        self.shown = filter_members(self.members, query)
        table = self.query_one(CustomerTable)
        table.show([m.row for m in self.shown[:SHOW_LIMIT]], keep)
        text = t("members.shown", shown=f"{len(self.shown):,}", total=f"{len(self.members):,}",
                 column=t(f"lookup.col.{self.sort_key}"))
        if len(self.shown) > SHOW_LIMIT:
            text += t("members.capped", limit=f"{SHOW_LIMIT:,}")
        status = plain(text)
        status.no_wrap = False  # a second row rather than a cut at 80 columns
        self.query_one("#members-status", Static).update(status)

    @on(Input.Changed, "#members-filter")
    def filter_changed(self) -> None:
        if self.loaded:
            self.refilter()

    @on(Input.Submitted, "#members-filter")
    def filter_done(self) -> None:
        self.query_one(CustomerTable).focus()

    @on(DataTable.HeaderSelected, "#members")
    def header_chosen(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column heading sorts by that column."""
        event.stop()
        key = str(event.column_key.value)
        if key in SORT_KEYS:
            self.sort_by(key)

    def sort_by(self, key: str) -> None:
        self.sort_key = key
        keep = self.query_one(CustomerTable).selected_id()
        self.members = sort_members(self.members, key)
        self.refilter(keep)

    def action_next_sort(self) -> None:
        self.sort_by(SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)])

    def action_focus_filter(self) -> None:
        """The filter with its text selected: what is typed next replaces it."""
        box = self.query_one("#members-filter", Input)
        box.focus()
        box.select_all()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(CustomerTable).focus()
        else:
            self.dismiss(None)

    def action_open_selected(self) -> None:
        selected = self.query_one(CustomerTable).selected_id()
        if selected is None:
            return
        from custui.screens.profile import ProfileScreen

        self.app.push_screen(ProfileScreen(self.workspace, selected))

    def acted_on(self) -> list[int] | None:
        """Ids of the members shown by the filter; None (with a notice) when there are none."""
        ids = [m.row.customer_id for m in self.shown]
        if not self.loaded or not ids:
            self.notify(t("members.nobody"), markup=False)
            return None
        return ids

    def action_export(self) -> None:
        from custui.modals.pin import guarded

        guarded(self, self.workspace, "export", t("members.export"), self.choose_export)

    def choose_export(self) -> None:
        ids = self.acted_on()
        if ids is None:
            return
        name = f"segment-{self.segment.id}-{self.workspace.today().isoformat()}.personal-data.csv"
        title = t("memexport.title", count=f"{len(ids):,}")

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.export_worker(path, ids)

        self.app.push_screen(ExportPathModal(title, Path.cwd() / name), chosen)

    @work(thread=True, exit_on_error=False, group="members-export")
    def export_worker(self, path: Path, ids: list[int]) -> None:
        from custui.services.access_log import log_access
        from custui.services.consent import campaign_reach
        from custui.services.exporter import (
            CUSTOMER_COLUMNS,
            customer_rows,
            personal_data_path,
            to_csv,
            write_private,
        )

        ws = self.workspace
        reach = campaign_reach(ws, ids, "profiling")
        path = personal_data_path(path)
        try:
            # in the order the screen shows them (its sort and filter)
            rows = customer_rows(ws.store, ws.config, ws.today(), only=set(reach.allowed),
                                 in_order=ids)
            write_private(path, to_csv(CUSTOMER_COLUMNS, rows))
            log_access(ws.store, who=ws.operator, at=ws.now_iso(), action="export",
                       what=f"customers (segment {self.segment.id})", rows=len(rows), target=str(path))
        except OSError as err:
            message = t("memexport.failed", error=safe_str(err))
            self.app.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        message = t("memexport.done", count=f"{len(rows):,}", path=safe_str(path))
        if reach.refused:
            message += "\n" + t("consent.left_out", count=f"{sum(reach.refused.values()):,}")
        self.app.call_from_thread(self.notify, message, markup=False)

    def action_message(self) -> None:
        """E-mail the campaign template to the members shown (a manager's: a clerk is told why,
        a manager on the file store gives the PIN): first how many receive it and how many are
        skipped and why, and a preview; Ctrl+S sends."""
        from custui.modals.pin import guarded

        guarded(self, self.workspace, "campaign", t("members.message"), self.send_campaign)

    def send_campaign(self) -> None:
        ids = self.acted_on()
        if ids is None:
            return
        from custui.screens.send_message import offer_campaign

        label = self.segment.label(get_locale())
        offer_campaign(self, self.workspace, t("msg.campaign.title", segment=label), ids)

    def action_campaign(self) -> None:
        from custui.modals.pin import guarded

        guarded(self, self.workspace, "campaign", t("members.campaign"), self.open_campaign)

    def open_campaign(self) -> None:
        ids = self.acted_on()
        if ids is None:
            return
        from custui.modals.campaign import CampaignModal

        label = self.segment.label(get_locale())
        self.app.push_screen(CampaignModal(self.workspace, label, ids, self.segment.id))
