"""The batch window and what the main window needs of it, in small rooms:

- state.py: the states, and the one table of what each shows (page, step, focus,
  buttons);
- controller.py: the file, the check, the fixes, the engine and its worker, the
  verification gate (gate.py) — everything but the widgets;
- window.py: the layout, reacting to the controller; texts.py: its words;
  pages.py, rows.py (the table model), columns.py and fix.py: its pages' parts;
- offer.py: the note about unfinished batches; launcher.py: the main window's entry.
"""
