"""Choosing a file or a folder, in the user's language.

Qt's own Chinese catalogue lacks two labels of its file dialog ("&Look in:" and "Files of
&type:", whose English changed in Qt 6), so the dialog was half English in 中文; ours
has them. Where the desktop offers its own (native) dialog, it is used as it is."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from core.i18n import _


def file_dialog(
    parent: QWidget | None, caption: str, directory: str = "", filters: str = ""
) -> QFileDialog:
    dialog = QFileDialog(parent, caption, directory, filters)
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, _("&Look in:"))
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, _("Files of &type:"))
    return dialog


def _chosen(dialog: QFileDialog) -> str:
    if not dialog.exec():
        return ""
    files = dialog.selectedFiles()
    return files[0] if files else ""


def open_file_name(
    parent: QWidget | None, caption: str, directory: str = "", filters: str = ""
) -> str:
    """An existing file the user chose, or "" when they cancelled."""
    dialog = file_dialog(parent, caption, directory, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    return _chosen(dialog)


def save_file_name(parent: QWidget | None, caption: str, path: str = "", filters: str = "") -> str:
    """Where the user chose to save, or "" when they cancelled."""
    dialog = file_dialog(parent, caption, path, filters)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return _chosen(dialog)


def folder_name(parent: QWidget | None, caption: str, directory: str = "") -> str:
    """A folder the user chose, or "" when they cancelled."""
    dialog = file_dialog(parent, caption, directory)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _chosen(dialog)
