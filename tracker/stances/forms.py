"""Editor forms: statements, retraction, conditions, events. They validate input; services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from tracker.stances.models import Condition, Country, Event, StanceLevel, Statement, WeaponCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _country_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        Country.objects.order_by("name"), to_field_name="code", label=label, empty_label="Choose a country"
    )


def split_lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class StatementForm(forms.Form):
    donor = _country_field("Donor")
    recipient = _country_field("Recipient")
    level = forms.ModelChoiceField(StanceLevel.objects.none(), empty_label="Choose a level")
    scope = forms.ModelChoiceField(
        WeaponCategory.objects.order_by("label"),
        required=False,
        empty_label="Overall stance (no scope)",
        help_text="A weapon category if the statement is about one class of weapon only.",
    )
    stated_on = forms.DateField(label="Date", widget=DATE)
    speaker = forms.CharField(max_length=200, error_messages={"required": "Name the speaker."})
    speaker_role = forms.CharField(max_length=200, required=False, label="Speaker's role")
    certainty = forms.ChoiceField(choices=Statement.Certainty.choices)
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Quote the statement: the exact words are the evidence."},
    )
    channel = forms.ChoiceField(choices=Statement.Channel.choices)
    weapons = forms.CharField(required=False, help_text="Items named, separated by commas (e.g. 155mm shells).")
    conditions = forms.ModelMultipleChoiceField(
        Condition.objects.none(), required=False, help_text="Existing conditions of this track."
    )
    new_conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="New conditions",
        help_text="Red lines or preconditions to add to the track, one per line.",
    )
    trigger_event = forms.ModelChoiceField(Event.objects.order_by("-occurred_on"), required=False)
    source_urls = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Sources",
        help_text="One URL per line: a stored article, or a new URL that is fetched when you save.",
        error_messages={"required": "Add at least one source: an article already stored or a URL."},
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, track=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = StanceLevel.objects.filter(codebook__is_current=True).order_by("rank")
        conditions = Condition.objects.select_related("track").order_by("-stated_on")
        self.fields["conditions"].queryset = conditions.filter(track=track) if track else conditions

    @classmethod
    def initial_for(cls, statement: Statement) -> dict:
        return {
            "donor": statement.track.donor_id,
            "recipient": statement.track.recipient_id,
            "level": statement.level_id,
            "scope": statement.scope_id,
            "stated_on": statement.stated_on,
            "speaker": statement.speaker,
            "speaker_role": statement.speaker_role,
            "certainty": statement.certainty,
            "quote": statement.quote,
            "channel": statement.channel,
            "weapons": ", ".join(statement.weapons or []),
            "conditions": list(statement.conditions.values_list("pk", flat=True)),
            "trigger_event": statement.trigger_event_id,
            "source_urls": "\n".join(a.url for a in statement.sources.order_by("id")),
            "notes": statement.notes,
            "version": statement.version,
        }

    def clean_stated_on(self):
        stated_on = self.cleaned_data["stated_on"]
        if stated_on > timezone.localdate():
            raise ValidationError(
                f"The date {stated_on:%Y-%m-%d} is in the future: statements record what was already said."
            )
        return stated_on

    def clean_quote(self):
        quote = self.cleaned_data["quote"].strip()
        if not quote:
            raise ValidationError("Quote the statement: the exact words are the evidence.")
        return quote

    def clean_weapons(self):
        return [w.strip() for w in self.cleaned_data["weapons"].split(",") if w.strip()]

    def clean_new_conditions(self):
        return split_lines(self.cleaned_data["new_conditions"])

    def clean_source_urls(self):
        urls = split_lines(self.cleaned_data["source_urls"])
        if not urls:
            raise ValidationError("Add at least one source: an article already stored or a URL.")
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(f"Not a web address: {url}") from None
        return list(dict.fromkeys(urls))

    def clean(self):
        data = super().clean()
        donor, recipient = data.get("donor"), data.get("recipient")
        if donor and recipient and donor == recipient:
            self.add_error("recipient", "Donor and recipient must be different countries.")
        return data

    def statement_fields(self) -> dict:
        """Cleaned data as keyword arguments for the statement services (track and sources aside)."""
        data = self.cleaned_data
        return {
            "level": data["level"],
            "scope": data["scope"],
            "stated_on": data["stated_on"],
            "speaker": data["speaker"],
            "speaker_role": data["speaker_role"],
            "certainty": data["certainty"],
            "quote": data["quote"],
            "channel": data["channel"],
            "weapons": data["weapons"],
            "trigger_event": data["trigger_event"],
            "notes": data["notes"],
            "conditions": list(data["conditions"]),
            "new_conditions": data["new_conditions"],
        }


class RetractForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the statement is retracted."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConditionForm(forms.Form):
    donor = _country_field("Donor")
    recipient = _country_field("Recipient")
    text = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(choices=Condition.Kind.choices)
    stated_on = forms.DateField(widget=DATE)
    status = forms.ChoiceField(choices=Condition.Status.choices, initial=Condition.Status.PENDING)
    resolved_on = forms.DateField(widget=DATE, required=False, help_text="When it was met or withdrawn.")

    def clean(self):
        data = super().clean()
        if data.get("donor") and data.get("donor") == data.get("recipient"):
            self.add_error("recipient", "Donor and recipient must be different countries.")
        return data


class ConditionUpdateForm(forms.Form):
    text = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(choices=Condition.Kind.choices)
    status = forms.ChoiceField(choices=Condition.Status.choices)
    resolved_on = forms.DateField(widget=DATE, required=False, help_text="When it was met or withdrawn.")


class EventForm(forms.Form):
    occurred_on = forms.DateField(widget=DATE, label="Date")
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    countries = forms.ModelMultipleChoiceField(
        Country.objects.order_by("name"), to_field_name="code", widget=forms.SelectMultiple(attrs={"size": 8})
    )
    source_url = forms.URLField(max_length=1000, required=False, assume_scheme="https")

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise ValidationError("The date is in the future: events record what already happened.")
        return occurred_on
