"""Bringing existing discussions in: one adapter per export format, all feeding one intermediate form
(``model``), converted and written as submissions by shared code (``convert``, ``identity``, ``writer``)."""
