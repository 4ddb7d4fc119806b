"""Demo data for `make run` and the benchmarks: the personas and staff lists (load_demo) and each system's
generator (feedback.py for the 1022 reports). Allowed to import every app; no app imports it."""
