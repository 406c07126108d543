"""催办: the `Reminder` rows (one per person per deadline, sent once), the schedule of when a
deadline calls for one (`schedule.py`, plain Python), the sources that say what is due
(`sources.py`: tasks, steps and reports; other apps register theirs), the daily sweep and the
office's own 催办 (`services.py`), and their Celery tasks."""
