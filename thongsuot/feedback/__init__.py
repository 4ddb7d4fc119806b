# The name thongsuot.accounts.access knows this system by: its system-wide roles (the 1022 dispatchers).
SYSTEM = "feedback"
