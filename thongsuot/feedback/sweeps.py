"""The periodic sweeps of the 1022 system, declared in the shared registry (thongsuot.core.sweeps) that
`manage.py run_periodic` runs.

One job every FEEDBACK_SWEEP_MINUTES does every step in order (tasks.feedback_sweep): the submissions
still waiting registered, overdue reports flagged and their units reminded, reminders before the due
date, unrated results closed after FEEDBACK_AUTO_CLOSE_DAYS working days, old rate-limit marks deleted.
The queue of citizens' submissions is watched every second.
"""

from django.conf import settings

from thongsuot.core import sweeps
from thongsuot.feedback import selectors, tasks
from thongsuot.feedback.services.submissions import submissions_register_job

sweeps.register(
    name="feedback.deadlines",
    task=tasks.feedback_sweep,
    minutes=lambda: settings.FEEDBACK_SWEEP_MINUTES,
    kinds=(sweeps.OVERDUE, sweeps.DUE_SOON, sweeps.AUTO_CLOSE, sweeps.HOUSEKEEPING),
)
sweeps.register_queue(
    name="feedback.submissions",
    waiting=selectors.pending_submissions_waiting,
    task=submissions_register_job,
)
