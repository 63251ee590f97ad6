"""The LINE channel's writes (issue 11: one way to write): each module is a use case
with its transactions — storing webhook events (``events``), processing them once
(``processing``), a chat turn (``conversation``), linking a LINE account to a seeker
(``linking``), pushing messages with retry keys and the monthly quota (``push``), and
remembering a display name (``profiles``). Views, tasks and commands call these; no
other module of the channel writes to its models."""
