"""The batch window and what the main window needs of it, in small rooms:

- state.py: the states, and the one table of what each shows (page, step, focus,
  buttons);
- controller.py: the file, the check, the fixes and the binding, as the user goes
  through them — everything but the widgets; its parts: service.py (the bind service,
  the practice ledger, what the journal knows), corrections.py (fixing a row into a
  corrected copy), worker.py (what runs in the worker thread: the engine, its tasks)
  and gate.py (the verification the worker waits for);
- window.py: the layout, reacting to the controller; texts.py: its words;
  pages.py, table.py and rows.py (the rows' table and its model), columns.py and
  fix.py: its pages' parts;
- offer.py: the note about unfinished batches; launcher.py: the main window's entry.
"""
