"""Signals the registry sends so that other packages can react without the registry knowing
them (the layer arrows point into the registry, never out of it).

`record_changed`: a person's e-file was changed through a page by `actor` (sent inside the
change's transaction, after its audit row). Keyword arguments: `actor` (the user), `action`
(the audit action string), `people` (the Person rows), `fields` (names of the changed fields,
never their values). The Excel import does not send it.
Receiver: gridgov.patrols.efile links the change to the worker's open patrol round.
"""

from django.dispatch import Signal

record_changed = Signal()
