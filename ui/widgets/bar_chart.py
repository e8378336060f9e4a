"""A small grouped bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials).

`set_data(title, categories, series)` with series = [(name, values, QColor)]. None values draw
no bar. Values are printed above bars; a legend names the series. Plain, printable, no
animation.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = [QColor("#3b6ea8"), QColor("#c8763a"), QColor("#5a9a5a")]


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.categories: list[str] = []
        self.series: list[tuple[str, list[float | None], QColor]] = []
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, categories: list[str],
                 series: list[tuple[str, list[float | None]]]) -> None:
        self.title = title
        self.categories = list(categories)
        self.series = [(name, list(values), PALETTE[i % len(PALETTE)]) for i, (name, values) in enumerate(series)]
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.setPen(self.palette().text().color())
        painter.drawText(QRectF(0, 2, self.width(), line + 2), Qt.AlignmentFlag.AlignCenter, self.title)
        # legend
        x = 8.0
        for name, _, colour in self.series:
            painter.fillRect(QRectF(x, line + 8, 12, 10), colour)
            painter.drawText(QRectF(x + 16, line + 4, metrics.horizontalAdvance(name) + 4, line + 4),
                             Qt.AlignmentFlag.AlignVCenter, name)
            x += 16 + metrics.horizontalAdvance(name) + 16
        top = 2 * line + 14
        bottom = self.height() - line - 6
        left, right = 8.0, self.width() - 8.0
        values = [v for _, vs, _ in self.series for v in vs if v is not None]
        if not self.categories or not values or bottom - top < 20:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "—")
            return
        peak = max(max(values), 1)
        plot_h = bottom - top - line
        painter.setPen(QPen(self.palette().mid().color()))
        painter.drawLine(int(left), int(bottom), int(right), int(bottom))
        group_w = (right - left) / len(self.categories)
        n = max(len(self.series), 1)
        bar_w = max(2.0, group_w * 0.8 / n)
        for i, category in enumerate(self.categories):
            gx = left + i * group_w + group_w * 0.1
            for j, (_, vs, colour) in enumerate(self.series):
                value = vs[i] if i < len(vs) else None
                if value is None:
                    continue
                h = plot_h * value / peak
                rect = QRectF(gx + j * bar_w, bottom - h, bar_w - 1, h)
                painter.fillRect(rect, colour)
                painter.setPen(self.palette().text().color())
                text = f"{value:g}"
                painter.drawText(QRectF(rect.x() - 10, rect.y() - line, rect.width() + 20, line),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(left + i * group_w, bottom + 2, group_w, line + 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, category)
