"""Customer use-cases: validation, create/update/archive/restore, duplicates, merge, audit."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from custui.i18n import set_locale
from custui.services.customers import (
    CustomerError,
    archive_customer,
    audit_trail,
    clean_customer,
    create_customer,
    find_duplicates,
    merge_customers,
    restore_customer,
    update_customer,
)
from custui.services.workspace import Workspace

TODAY = date(2026, 11, 28)


def test_validation_messages_per_field() -> None:
    _, errors = clean_customer({"name": " ", "phone": "12", "email": "x@", "birth_year": "1850"}, TODAY)
    assert set(errors) == {"name", "phone", "email", "birth_year"}
    assert "1900" in errors["birth_year"] and "2026" in errors["birth_year"]
    values, errors = clean_customer(
        {"name": " An ", "phone": "+84 90 123 4567", "email": "an@example.vn", "birth_year": "1990",
         "tags": "vip, , sỉ"}, TODAY)
    assert errors == {}
    assert values["name"] == "An" and values["birth_year"] == 1990 and values["tags"] == ["vip", "sỉ"]


def test_validation_speaks_vietnamese() -> None:
    set_locale("vi")
    _, errors = clean_customer({"name": ""}, TODAY)
    assert errors["name"] == "Cần nhập họ tên."


def test_create_stamps_code_times_and_audit(workspace: Workspace) -> None:
    doc = create_customer(workspace, {"name": "Lý Thu Hà", "phone": "090.555.1234"})
    stored = workspace.store.get("customers", doc["id"])
    assert stored is not None
    assert stored["code"] == "C000006"
    assert stored["phone_norm"] == "0905551234"
    assert stored["created_at"] == stored["updated_at"] == "2026-11-28T10:00:00"
    assert stored["archived"] is False
    (audit,) = audit_trail(workspace.store, doc["id"])
    assert audit["action"] == "create" and audit["who"] == "tester"
    assert audit["changes"]["name"] == [None, "Lý Thu Hà"]


def test_update_records_old_and_new_values(workspace: Workspace) -> None:
    workspace.clock = lambda: datetime(2026, 11, 29, 8, 30)
    update_customer(workspace, 1, {"email": "anh@new.vn", "name": "Nguyễn Thị Ánh"})
    stored = workspace.store.get("customers", 1)
    assert stored is not None and stored["email"] == "anh@new.vn"
    assert stored["updated_at"] == "2026-11-29T08:30:00"
    (audit,) = audit_trail(workspace.store, 1)
    assert audit["changes"] == {"email": ["anh.nguyen@example.vn", "anh@new.vn"]}


def test_update_without_change_writes_nothing(workspace: Workspace) -> None:
    revision = workspace.store.revision
    update_customer(workspace, 1, {"name": "Nguyễn Thị Ánh"})
    assert workspace.store.revision == revision


def test_archive_and_restore_are_audited(workspace: Workspace) -> None:
    archive_customer(workspace, 2)
    assert workspace.store.get("customers", 2)["archived"] is True  # type: ignore[index]
    restore_customer(workspace, 2)
    assert workspace.store.get("customers", 2)["archived"] is False  # type: ignore[index]
    assert [a["action"] for a in audit_trail(workspace.store, 2)] == ["restore", "archive"]


def test_duplicates_by_normalised_phone_and_name(workspace: Workspace) -> None:
    dups = find_duplicates(workspace.store, "nguyen thi anh", "+84 901 234 567")
    assert [(d.customer["code"], d.reason) for d in dups] == [("C000001", "name_phone")]
    dups = find_duplicates(workspace.store, "Someone Else", "0901234567")
    assert [d.reason for d in dups] == ["phone"]
    assert find_duplicates(workspace.store, "X", "0901234567", exclude_id=1) == []
    assert find_duplicates(workspace.store, "X", "") == []


def test_merge_moves_records_archives_other_and_records_it(workspace: Workspace) -> None:
    store = workspace.store
    store.insert("interactions", {"customer_id": 5, "type": "call", "summary": "hi", "at": "2026-01-01"})
    store.insert("vouchers", {"customer_id": 5, "rule": "goodwill", "amount": 50_000})
    store.insert("customers", {"code": "C000009", "name": "Ref", "referred_by": 5})
    moved = merge_customers(workspace, keep_id=3, other_id=5)
    assert moved["orders"] == 1 and moved["interactions"] == 1 and moved["vouchers"] == 1
    assert store.children("orders", 5) == [] and len(store.children("orders", 3)) == 1
    other = store.get("customers", 5)
    assert other is not None and other["archived"] is True and other["merged_into"] == 3
    assert store.get("customers", 6)["referred_by"] == 3  # type: ignore[index]
    keep_audit = audit_trail(store, 3)[0]
    assert keep_audit["action"] == "merge" and keep_audit["changes"]["merged_from"] == [None, 5]
    assert audit_trail(store, 5)[0]["changes"]["merged_into"] == [None, 3]


def test_merge_with_itself_is_refused(workspace: Workspace) -> None:
    with pytest.raises(CustomerError):
        merge_customers(workspace, 1, 1)
