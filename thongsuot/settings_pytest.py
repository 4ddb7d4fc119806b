"""The settings pytest uses (pyproject.toml): the test profile unless THONGSUOT_ENV says otherwise, so a bare
`pytest` runs like `make test` (jobs in-process, mail in memory, fast password hashing)."""

import os

os.environ.setdefault("THONGSUOT_ENV", "test")

from thongsuot.settings import *  # noqa: E402, F403
