"""Forms for queue decisions. Reasons are required: a rejection without one teaches nobody anything."""

from django import forms

from tracker.review import selectors
from tracker.stances.models import Statement

ORDER_CHOICES = [("recent", "Newest first"), ("confident", "Most confident first")]


class QueueFilterForm(forms.Form):
    donor = forms.ChoiceField(required=False)
    recipient = forms.ChoiceField(required=False)
    outlet = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(required=False)
    order = forms.ChoiceField(choices=ORDER_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = selectors.queue_filter_options()
        any_ = [("", "Any")]
        self.fields["donor"].choices = any_ + [(c.code, c.name) for c in options["donors"]]
        self.fields["recipient"].choices = any_ + [(c.code, c.name) for c in options["recipients"]]
        self.fields["outlet"].choices = any_ + [(o.pk, o.name) for o in options["outlets"]]
        self.fields["level"].choices = any_ + [(lv.code, str(lv)) for lv in options["levels"]]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"order": "recent"}
        data = self.cleaned_data
        return {
            "donor": data["donor"] or None,
            "recipient": data["recipient"] or None,
            "outlet": data["outlet"],
            "level": data["level"] or None,
            "order": data["order"] or "recent",
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=500, error_messages={"required": "Say why the suggestion is rejected (e.g. 'not about arms aid')."}
    )


class BulkRejectForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": "Select suggestions to reject."})
    reason = forms.CharField(max_length=500, error_messages={"required": "Say why these suggestions are rejected."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is acceptable here; the service only rejects those still pending.
        self.fields["ids"].choices = [(v, v) for v in (self.data.getlist("ids") if self.data else [])]


class DuplicateForm(forms.Form):
    statement = forms.ModelChoiceField(
        Statement.objects.exclude(status=Statement.Status.RETRACTED),
        error_messages={"required": "Choose the statement this repeats.", "invalid_choice": "No such statement."},
    )


class FollowForm(forms.Form):
    action = forms.ChoiceField(choices=[("follow", "Follow"), ("unfollow", "Unfollow")])
