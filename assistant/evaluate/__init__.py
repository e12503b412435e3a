"""Regression evaluation on the golden set (`opc eval`): dataset -> run -> checks and ragas metrics ->
gate (thresholds, baseline) -> reports. Modules: dataset, checks, metrics, run, gate, report, overrides, cli."""
