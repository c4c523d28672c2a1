"""Source admins' forms."""

from django import forms

from tracker.sources.models import Outlet
from tracker.stances.models import Country


class OutletReviewForm(forms.Form):
    name = forms.CharField(max_length=200)
    country = forms.ModelChoiceField(Country.objects.order_by("name"), required=False, empty_label="Unknown")
    review_status = forms.ChoiceField(choices=Outlet.ReviewStatus.choices, label="Review status")
    reliability = forms.ChoiceField(choices=Outlet.Reliability.choices, help_text="Admiralty scale, A (best) to F.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    @classmethod
    def initial_for(cls, outlet: Outlet) -> dict:
        return {
            "name": outlet.name,
            "country": outlet.country_id,
            "review_status": outlet.review_status,
            "reliability": outlet.reliability,
            "notes": outlet.notes,
        }


class OutletFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *Outlet.ReviewStatus.choices], required=False)
    q = forms.CharField(required=False, label="Search")
