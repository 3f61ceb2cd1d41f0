"""loyalty.yaml `channels:`: the purchase form's channel list, checked strictly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from custui.config.loader import load_config
from custui.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "loyalty.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_shipped_channels_are_store_phone_online_other_with_both_languages() -> None:
    loyalty = load_config(None).loyalty
    assert [c.id for c in loyalty.channels] == ["store", "phone", "online", "other"]
    assert loyalty.channel_name("phone", "en") == "By phone"
    assert loyalty.channel_name("phone", "vi") == "Điện thoại"
    assert loyalty.channel_name("market", "vi") == "market"  # an old id shows as itself


def test_a_file_without_channels_gets_the_default_list(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "point_value: 100\n"))
    assert [c.id for c in config.loyalty.channels] == ["store", "phone", "online", "other"]


def test_own_channels_replace_the_list_and_a_plain_name_is_english(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """\
        channels:
          - id: market
            name: Night market
          - id: zalo
            name: {en: Zalo, vi: Zalo OA}
        """))
    loyalty = config.loyalty
    assert [c.id for c in loyalty.channels] == ["market", "zalo"]
    assert loyalty.channel_name("market", "vi") == "Night market"
    assert loyalty.channel_name("zalo", "vi") == "Zalo OA"


@pytest.mark.parametrize(("text", "expected"), [
    ("channels:\n  - id: a\n    name: A\n  - id: a\n    name: B\n",
     "loyalty.yaml:4: channels[1].id: channel 'a' is listed twice"),
    ("channels: []\n", "loyalty.yaml:1: channels: List should have at least 1 item"),
    ("channels:\n  - id: a\n    nmae: A\n", "loyalty.yaml:3: channels[0].nmae: unknown key; did you mean 'name'?"),
])
def test_channel_mistakes_name_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    found = [line.replace(f"{tmp_path}/", "") for line in caught.value.problems]
    assert any(line.startswith(expected) for line in found), found
