"""`custui report`: like-for-like default period with the day pinned by $CUSTUI_TODAY, every
figure against the comparison, complaint categories by name (English and Vietnamese), ids in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli_helpers import run_cli

from custui.store.open import open_store


def _db(tmp_path: Path) -> Path:
    """Ánh buys on 5 October (300,000) and 20 November (1,250,000); Bình on 25 October
    (200,000, after the 21st) and 10 November (400,000); one complaint on 12 November."""
    db = tmp_path / "db.json"
    store = open_store(db, create=True)
    with store.batch():
        a = store.insert("customers", {"code": "A", "name": "Ánh"})["id"]
        b = store.insert("customers", {"code": "B", "name": "Bình"})["id"]
        for cid, day, total in [(a, "2026-10-05", 300_000), (b, "2026-10-25", 200_000),
                                (a, "2026-11-20", 1_250_000), (b, "2026-11-10", 400_000)]:
            store.insert("orders", {"customer_id": cid, "date": day, "total": total})
        store.insert("complaints", {"customer_id": b, "category": "staff_attitude",
                                    "opened_at": "2026-11-12T10:00:00", "status": "open"})
    store.close()
    return db


def run(db: Path, tmp_path: Path, *args: str, today: str = "2026-11-21") -> tuple[int, str, str]:
    env = {"CUSTUI_DB": str(db), "CUSTUI_CONFIG": str(tmp_path), "CUSTUI_TODAY": today}
    return run_cli(args, env)


def test_default_is_month_to_date_against_the_same_days(tmp_path: Path) -> None:
    db = _db(tmp_path)
    code, out, err = run(db, tmp_path, "report", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["period"] == {"from": "2026-11-01", "to": "2026-11-21"}
    assert report["comparison"] == {"from": "2026-10-01", "to": "2026-10-21"}
    assert (report["basis"], report["kind"], report["partial"], report["rates_so_far"]) == (
        "to_date", "month", True, False)
    # 1-21 November: both (1,650,000, 2 orders); 1-21 October: only Ánh's 300,000
    assert (report["active"], report["revenue"], report["orders"]) == (2, 1_650_000, 2)
    vs = report["comparison_figures"]
    assert (vs["active"], vs["revenue"], vs["orders"]) == (1, 300_000, 1)
    assert (report["active_comparison"], report["retained"], report["retention_rate"]) == (1, 1, 1.0)
    assert report["complaints_by_category"]["staff_attitude"] == 1  # ids in JSON

    code, text, _ = run(db, tmp_path, "report")
    lines = text.splitlines()
    assert lines[0] == "Month to date 2026-11-01 – 2026-11-21 (partial: 21 of 30 days)"
    assert lines[1] == "vs the same days of the month before 2026-10-01 – 2026-10-21 (21 days)"
    revenue = next(line for line in lines if line.strip().startswith("Revenue "))
    assert revenue.split()[1:] == ["₫1,650,000", "₫300,000", "▲", "+450.0%"]
    active = next(line for line in lines if "Active customers" in line)
    assert active.split()[2:] == ["2", "1", "▲", "+100.0%"]
    assert any(line.strip().startswith("Staff attitude") for line in lines)
    assert "staff_attitude" not in text
    assert all(len(line) <= 80 for line in lines)


def test_vietnamese_names_and_a_whole_month_not_over(tmp_path: Path) -> None:
    db = _db(tmp_path)
    code, text, err = run(db, tmp_path, "report", "--lang", "vi", "--from", "2026-11-01", "--to",
                          "2026-11-30")
    assert code == 0, err
    lines = text.splitlines()
    assert lines[0] == "Khoảng ngày 01/11/2026 – 30/11/2026 (chưa trọn: mới 21/30 ngày)"
    assert any(line.strip().startswith("Thái độ nhân viên") for line in lines)
    # against the whole of October: retention only "so far"
    assert any(line.strip().startswith("Tỷ lệ giữ chân (tính đến nay)") for line in lines)
    # Vietnamese decimal commas and points ("12,6 %", "▲ +230,0%", "điểm"), never "12.6"
    revenue = next(line for line in lines if line.strip().startswith("Doanh thu "))
    assert revenue.split()[-2:] == ["▲", "+230,0%"], revenue
    assert not any(re.search(r"\d\.\d+ ?%", line) for line in lines)
    assert any(re.search(r"\d+,\d %", line) for line in lines)
    assert any(line.endswith(" điểm") for line in lines) and not any("pts" in line for line in lines)


def test_complete_period_comparison_is_that_period_reported_alone(tmp_path: Path) -> None:
    db = _db(tmp_path)
    _, out, _ = run(db, tmp_path, "report", "--period", "last-month", "--format", "json",
                    today="2026-12-07")
    november = json.loads(out)
    assert november["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert not november["partial"] and november["basis"] == "complete"
    _, out, _ = run(db, tmp_path, "report", "--from", "2026-10-01", "--to", "2026-10-31",
                    "--format", "json", today="2026-12-07")
    october = json.loads(out)
    assert november["comparison_figures"] == {k: october[k] for k in november["comparison_figures"]}


def test_a_bad_pinned_day_is_refused(tmp_path: Path) -> None:
    db = _db(tmp_path)
    code, _, err = run(db, tmp_path, "report", today="21/11/2026")
    assert code == 2 and "CUSTUI_TODAY" in err
