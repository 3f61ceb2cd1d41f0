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
