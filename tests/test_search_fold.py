"""The lookup's cached word-by-word folding gives exactly what domain.text.fold gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from custui.domain.text import fold
from custui.services.search import CustomerIndex, fold_words
from custui.store.memory import MemoryStore

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐĂÂÊÔƠƯ"


@given(st.text(alphabet=VIETNAMESE + " \t\u00a0\u0301\u0303ßİ[]/@.-0123456789"))
def test_fold_words_matches_fold_on_names(text: str) -> None:
    assert fold_words(text) == fold(text)


@given(st.text())
def test_fold_words_matches_fold_on_any_text(text: str) -> None:
    assert fold_words(text) == fold(text)


def test_renamed_customer_is_found_by_the_new_name_only() -> None:
    store = MemoryStore()
    doc = store.insert("customers", {"code": "C000001", "name": "Nguyễn Thị Ánh", "phone": "0901234567"})
    index = CustomerIndex(store)
    assert [d["id"] for d in index.search("anh")] == [doc["id"]]
    store.update("customers", doc["id"], {"name": "Trần Văn Bình", "code": "C000002"})
    assert index.search("anh") == []
    assert [d["id"] for d in index.search("binh")] == [doc["id"]]
    assert [d["id"] for d in index.search("000002")] == [doc["id"]]
    assert index.search("000001") == []


class LoadingStore(MemoryStore):
    """A store whose big tables are still loading (as a big file's are at open)."""

    loading = True

    def loaded(self, table: str | None = None) -> bool:
        return not self.loading

    def after_load(self, callback: object) -> None:
        pass


def test_recent_list_while_loading_is_what_the_built_index_lists() -> None:
    store = LoadingStore()
    made = {}
    for n, (created, updated) in enumerate([("2024-01-05", "2025-03-01"), ("2024-06-01", None),
                                            ("2024-06-01", "2024-06-01"), ("2023-02-02", None)]):
        doc = store.insert("customers", {"code": f"C{n:06d}", "name": f"Khách {n}", "phone": "",
                                         "created_at": created, "updated_at": updated,
                                         "archived": n == 3})
        made[n] = doc["id"]
    store.insert("orders", {"customer_id": made[1], "date": "2026-01-01", "total": 1, "items": ""})
    index = CustomerIndex(store, defer_activity=True)
    early = index.search_ids("")  # answered without building the index
    assert early == [made[0], made[2], made[1]]
    index.ensure_built()
    assert index.search_ids("") == early
    assert index.search_ids("", include_archived=True) == [*early, made[3]]
    store.loading = False
    index.fold_activity()  # orders are in: the recent buyer comes first
    assert index.search_ids("") == [made[1], made[0], made[2]]
