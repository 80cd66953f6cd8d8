from django.utils.translation import gettext_lazy as _

# Button and message labels of the actions (past participle for "cannot be … now").
ACTION_LABELS = {
    "accept": _("accepted"),
    "reject": _("rejected"),
    "merge_into": _("merged"),
    "void": _("voided"),
    "handle_locally": _("handled in the community"),
    "handle_on_spot": _("handled on the spot"),
    "escalate": _("escalated"),
    "dispatch": _("dispatched"),
    "claim": _("claimed"),
    "return": _("returned"),
    "rule_return": _("ruled on"),
    "request_extension": _("given an extension request"),
    "grant_extension": _("granted an extension"),
    "refuse_extension": _("refused an extension"),
    "add_progress_note": _("given a progress note"),
    "resolve": _("resolved"),
    "verify": _("verified"),
    "rate": _("rated"),
    "reopen": _("reopened"),
    "close": _("closed"),
    "supervise": _("supervised"),
    "refer_to_mediation": _("referred to mediation"),
}

BUTTON_LABELS = {
    "accept": _("Accept"),
    "reject": _("Reject"),
    "merge_into": _("Merge into…"),
    "void": _("Void"),
    "handle_locally": _("Handle in the community"),
    "handle_on_spot": _("Handle on the spot"),
    "escalate": _("Escalate to the street"),
    "dispatch": _("Dispatch"),
    "claim": _("Claim"),
    "return": _("Return"),
    "rule_return": _("Rule on the return"),
    "request_extension": _("Ask for an extension"),
    "grant_extension": _("Grant the extension"),
    "refuse_extension": _("Refuse the extension"),
    "add_progress_note": _("Add a progress note"),
    "resolve": _("Report the result"),
    "verify": _("Verify"),
    "rate": _("Record the rating"),
    "reopen": _("Reopen"),
    "close": _("Close without rating"),
    "supervise": _("Supervise"),
    "refer_to_mediation": _("Refer to mediation"),
}

# A resident rates their own case; "record the rating" (录入评价) is the staff's word for
# entering a rating taken on a follow-up call.
RESIDENT_BUTTON_LABELS = {
    "rate": _("Rate"),
}


def button_label(action: str, role: str | None) -> str:
    """The label of an action's button for the role under which the user would take it."""
    from gridgov.accounts.choices import Role

    if role == Role.RESIDENT and action in RESIDENT_BUTTON_LABELS:
        return str(RESIDENT_BUTTON_LABELS[action])
    return str(BUTTON_LABELS[action])
