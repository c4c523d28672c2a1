"""Query-string filters shared by the dashboard pages (recipient, donor, date range, minimum certainty)."""

from django import forms

from tracker.dashboard.selectors import Filters
from tracker.stances.models import Statement

CERTAINTY_CHOICES = [("", "Any certainty"), *Statement.Certainty.choices]


class FilterForm(forms.Form):
    """Bound to request.GET. Invalid values are reported on the page and otherwise ignored."""

    recipient = forms.RegexField(regex=r"^[A-Za-z]{3}$", required=False)
    donor = forms.MultipleChoiceField(required=False, choices=())
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")
    min_certainty = forms.ChoiceField(required=False, choices=CERTAINTY_CHOICES, label="Minimum certainty")
    days = forms.IntegerField(required=False, min_value=1, max_value=3650, label="Shifts in the last N days")

    def __init__(self, data=None, *, countries: list[dict] | None = None, **kwargs):
        super().__init__(data, **kwargs)
        choices = [(c["code"], c["name"]) for c in countries or []]
        self.fields["donor"].choices = choices

    def clean_recipient(self) -> str:
        return (self.cleaned_data.get("recipient") or "").upper()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def value(self, name: str, default=None):
        if not self.is_bound or not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        d = self.cleaned_data
        return Filters(
            date_from=d.get("date_from"), date_to=d.get("date_to"), min_certainty=d.get("min_certainty") or ""
        )
