"""A date field that may stay empty: an empty « Du » or « Au » means no bound.

QDateEdit always holds a date, so the empty state is its minimum date shown as "jj/mm/aaaa"
(specialValueText). Typing in that state would edit the placeholder text, so the first digit
first puts a real date in the field; Suppr (or Retour arrière on the whole text) empties it
again; F4 or Alt+Bas opens the calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateEdit, QStyle, QStyleOptionComboBox, QWidget

VIDE = QDate(1900, 1, 1)
TEXTE_VIDE = "jj/mm/aaaa"


class DateFacultative(QDateEdit):
    def __init__(self, aujourd_hui: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._aujourd_hui = aujourd_hui  # the injected clock's Paris date: the app stays open for days
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(VIDE)
        self.setSpecialValueText(TEXTE_VIDE)
        self.setDate(VIDE)
        self.calendarWidget().setLocale(self.locale())

    def est_vide(self) -> bool:
        return self.date() == VIDE

    def vider(self) -> None:
        self.setDate(VIDE)

    def valeur(self) -> date | None:
        return None if self.est_vide() else self.date().toPython()  # type: ignore[return-value]

    def definir(self, valeur: date | None) -> None:
        self.setDate(VIDE if valeur is None else QDate(valeur.year, valeur.month, valeur.day))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        texte = event.text()
        if self.est_vide() and texte.isdigit():
            # 1 January has 31 days, so a typed day is never clamped before its month is typed.
            self.setDate(QDate(self._aujourd_hui().year, 1, 1))
            self.setCurrentSection(QDateEdit.Section.DaySection)
            self.setSelectedSection(QDateEdit.Section.DaySection)
        elif texte.isdigit() and self.lineEdit().selectedText() == self.text():
            # Typing over the whole text (after Ctrl+A) would be refused: retype from the day.
            self.setCurrentSection(QDateEdit.Section.DaySection)
            self.setSelectedSection(QDateEdit.Section.DaySection)
        elif texte == "/":
            # A full section already jumped to the next one: the typed separator must not jump again.
            ligne = self.lineEdit()
            position = ligne.cursorPosition()
            if position > 0 and ligne.text()[position - 1] == "/":
                return
        elif event.key() == Qt.Key.Key_F4 or (
                event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.ouvrir_calendrier()
            return
        elif event.key() == Qt.Key.Key_Delete or (event.key() == Qt.Key.Key_Backspace and (
                self.est_vide() or self.lineEdit().selectedText() == self.text())):
            # Suppr empties the filter whatever is selected; Retour arrière still corrects a digit.
            self.vider()
            return
        super().keyPressEvent(event)

    def stepBy(self, steps: int) -> None:
        # Up/Down from the empty state starts at today, not at the placeholder's 1900.
        if self.est_vide():
            self.setDate(self._aujourd_hui_q())
            return
        super().stepBy(steps)

    def ouvrir_calendrier(self) -> None:
        """F4 or Alt+Bas: QDateEdit opens its calendar on a click on the arrow only, so the
        keyboard path sends that click."""
        option = QStyleOptionComboBox()
        option.initFrom(self)
        option.editable = True
        option.subControls = QStyle.SubControl.SC_All
        fleche = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxArrow, self).center()
        self.mousePressEvent(QMouseEvent(
            QEvent.Type.MouseButtonPress, QPointF(fleche), QPointF(self.mapToGlobal(fleche)),
            Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self._calendrier_sur_aujourd_hui()

    def _calendrier_sur_aujourd_hui(self) -> None:
        # The popup opens on the field's date, the 1900 placeholder when empty: start it at today
        # instead (this fills the field; Suppr empties it again).
        calendrier = self.calendarWidget()
        if self.est_vide() and calendrier.isVisible():
            calendrier.setSelectedDate(self._aujourd_hui_q())

    def _aujourd_hui_q(self) -> QDate:
        a = self._aujourd_hui()
        return QDate(a.year, a.month, a.day)
