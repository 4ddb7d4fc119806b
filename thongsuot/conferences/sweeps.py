"""The conferences system's sweep: expired join tokens are withdrawn from the rooms every minute, so a
token the platform issued opens its room for JANUS_TOKEN_MINUTES only (plus at most a minute)."""

from thongsuot.conferences import tasks
from thongsuot.core import sweeps

sweeps.register(name="conferences.join_tokens", task=tasks.join_tokens_expire, minutes=1, kinds=(sweeps.HOUSEKEEPING,))
