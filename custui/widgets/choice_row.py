"""ChoiceRow: a RadioSet whose buttons share one row while each label fits its share of it.

A horizontal RadioSet gives every button an equal share of the row and cuts a longer label
(`2 Trung bình (24 giờ…`, `4 meeti…` at 80 columns). When a label would be cut, the buttons
go into as many columns as their widest label allows, so every choice is read whole whatever
the language or the configured names, in as few lines as that takes.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import RadioButton, RadioSet

# cells a compact RadioButton adds to its label: the toggle (3), the gap after it, one spare
BUTTON_CHROME = 5


class ChoiceRow(RadioSet):
    DEFAULT_CSS = """
    ChoiceRow { layout: horizontal; height: auto; width: 100%; }
    ChoiceRow.-columns { layout: grid; grid-rows: 1; grid-gutter: 0; height: auto; }
    """

    def on_mount(self) -> None:
        self.fit_labels()

    def on_resize(self) -> None:
        self.fit_labels()

    def fit_labels(self) -> None:
        """One row if every label fits its share, else the columns the widest label allows."""
        buttons = list(self.query(RadioButton))
        width = self.content_size.width
        if not buttons or not width:
            return
        widest = max(cell_len(str(button.label)) for button in buttons) + BUTTON_CHROME
        columns = max(1, min(len(buttons), width // widest))
        if columns < len(buttons):
            self.styles.grid_size_columns = columns
        self.set_class(columns < len(buttons), "-columns")
