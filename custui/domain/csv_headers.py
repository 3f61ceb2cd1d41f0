"""Header cells to customer or order fields: English and Vietnamese names, any case, with or
without diacritics, and `--map COLUMN=field` for the rest."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from custui.domain.csv_cells import unneutralise
from custui.domain.text import fold


class HeaderError(ValueError):
    """The header cannot be mapped (a needed field is missing, a --map is wrong)."""


def header_key(name: str) -> str:
    """`Số điện thoại` -> `so_dien_thoai`, `Customer ID` -> `customer_id`."""
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")


CUSTOMER_FIELDS = (
    "code", "name", "kind", "scope", "role", "phone", "email", "address", "region", "gender",
    "birth_year", "birthday", "income_band", "needs", "budget", "source", "tags",
    "consent_to_contact", "referred_by", "status_override",
)
ORDER_FIELDS = (
    "customer_code", "customer_name", "customer_phone", "date", "total", "items", "channel",
    "promo", "points_redeemed", "void", "void_reason",
)
# columns our own customer export writes that are derived, not imported
DERIVED_COLUMNS = (
    "phone_normalized", "orders", "total_spend", "avg_order_value", "first_order", "last_order",
    "days_since_last_order", "lifecycle", "tier", "points", "clv", "created_at", "updated_at",
    "archived", "id",
)

CUSTOMER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("customer_code", "customer_id", "customerid", "client_id", "ma", "ma_kh",
             "ma_khach_hang", "ma_khach"),
    "name": ("customer_name", "full_name", "customer", "ten", "ho_ten", "ho_va_ten",
             "ten_khach_hang", "ten_khach"),
    "phone": ("phone_number", "mobile", "tel", "telephone", "so_dien_thoai", "sdt",
              "dien_thoai", "dtdd"),
    "email": ("e_mail", "mail", "thu_dien_tu"),
    "kind": ("customer_type", "type", "loai", "loai_khach", "loai_khach_hang"),
    "scope": ("pham_vi",),
    "role": ("vai_tro",),
    "address": ("dia_chi",),
    "region": ("city", "province", "tinh", "thanh_pho", "khu_vuc", "country", "quoc_gia"),
    "gender": ("sex", "gioi_tinh"),
    "birth_year": ("year_of_birth", "nam_sinh"),
    "birthday": ("date_of_birth", "dob", "ngay_sinh"),
    "income_band": ("income", "thu_nhap"),
    "needs": ("nhu_cau",),
    "budget": ("ngan_sach",),
    "source": ("nguon", "nguon_khach"),
    "tags": ("tag", "nhan"),
    "consent_to_contact": ("consent",),
    "referred_by": ("referred_by_code", "referrer", "nguoi_gioi_thieu"),
    "status_override": ("lifecycle_override",),
}
ORDER_ALIASES: dict[str, tuple[str, ...]] = {
    "customer_code": ("customer_id", "customerid", "customer", "code", "client_id", "ma_kh",
                      "ma_khach_hang", "ma_khach"),
    "customer_name": ("name", "ten_khach_hang", "ho_ten", "ten_khach"),
    "customer_phone": ("phone", "so_dien_thoai", "sdt", "dien_thoai"),
    "date": ("order_date", "invoice_date", "invoicedate", "purchase_date", "ngay", "ngay_mua",
             "ngay_dat", "ngay_hoa_don"),
    "total": ("amount", "order_total", "total_amount", "value", "revenue", "price",
              "thanh_tien", "tong_tien", "so_tien", "tong_cong"),
    "items": ("item", "product", "products", "description", "san_pham", "mat_hang", "hang"),
    "channel": ("kenh", "kenh_ban"),
    "promo": ("promotion", "on_promo", "khuyen_mai"),
    "points_redeemed": ("points_used",),
    "void": ("voided", "cancelled", "canceled", "huy"),
    "void_reason": ("ly_do_huy",),
}
IGNORE = "-"


@dataclass(frozen=True)
class HeaderMap:
    """Which cell holds each field; `ignored` lists the columns nobody reads."""

    fields: dict[str, int]
    ignored: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.fields


def map_headers(
    header: Sequence[str], table: str, overrides: Mapping[str, str] | None = None
) -> HeaderMap:
    """Map header cells to fields of `table` ("customers" or "orders").

    `overrides` maps a column name (as written, or its header_key) to a field, or to
    "-" to ignore it. Raises HeaderError for an unknown field name or a field named twice.
    """
    known = CUSTOMER_FIELDS if table == "customers" else ORDER_FIELDS
    aliases = CUSTOMER_ALIASES if table == "customers" else ORDER_ALIASES
    lookup = {name: name for name in known}
    for name, names in aliases.items():
        for alias in names:
            lookup.setdefault(alias, name)
    wanted = {header_key(col): target.strip() for col, target in (overrides or {}).items()}
    columns = {header_key(col) for col in header}
    for col, target in wanted.items():
        if col not in columns:
            raise HeaderError(f"--map: the file has no column {col!r} (columns: {', '.join(header)})")
        if target != IGNORE and target not in known:
            raise HeaderError(f"--map: unknown field {target!r}; fields: {', '.join(known)}")
    fields: dict[str, int] = {}
    ignored: list[str] = []
    for index, col in enumerate(header):
        key = header_key(unneutralise(col))
        mapped = wanted.get(key) or lookup.get(key)
        if mapped is None or mapped == IGNORE:
            if key and key not in DERIVED_COLUMNS and mapped != IGNORE:
                ignored.append(col)
            continue
        if mapped in fields:
            if key in wanted:  # an explicit --map wins over a column that mapped by itself
                fields[mapped] = index
                continue
            if mapped in wanted.values():
                continue
            raise HeaderError(
                f"columns {header[fields[mapped]]!r} and {col!r} both mean {mapped!r}; "
                f"use --map to say which one (--map {col}=-)"
            )
        fields[mapped] = index
    return HeaderMap(fields=fields, ignored=ignored)
