"""Editor pages for statements, conditions and events; the statement page (with history) for analysts too."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tracker.sources.fetching import FetchError
from tracker.sources.models import Article, Outlet
from tracker.stances import selectors, services
from tracker.stances.forms import (
    ConditionForm,
    ConditionUpdateForm,
    EventForm,
    RetractForm,
    StatementForm,
)
from tracker.stances.models import Condition, Statement

# Service error keys → the form field that shows them.
FIELD_FOR_ERROR = {"track": "recipient", "sources": "source_urls", "retraction_reason": "reason"}


def apply_validation_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the matching field where there is one."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, errors in exc.message_dict.items():
        field = FIELD_FOR_ERROR.get(key, key)
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def resolve_sources(form: StatementForm) -> list[Article] | None:
    """The form's source URLs as articles, fetching new ones now; None (with form errors) on failure."""
    articles = []
    for url in form.cleaned_data["source_urls"]:
        try:
            articles.append(services.article_for_url(url=url))
        except FetchError as exc:
            form.add_error("source_urls", f"Could not fetch {url}: {exc}")
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return None if form.errors else articles


def track_for_form(form) -> object | None:
    try:
        return services.track_get_or_create(
            donor=form.cleaned_data["donor"].code, recipient=form.cleaned_data["recipient"].code
        )
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None


@permission_required("stances.view_statement", raise_exception=True)
def statement_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in Statement.Status.values:
        status = None
    rows = selectors.statement_list(
        status=status, donor=request.GET.get("donor") or None, recipient=request.GET.get("recipient") or None
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "stances/statement_list.html",
        {"page": page, "status": status, "statuses": Statement.Status.choices, "query": request.GET.urlencode()},
    )


@permission_required("stances.change_statement", raise_exception=True)
def statements_flagged(request: HttpRequest) -> HttpResponse:
    return render(request, "stances/statements_flagged.html", {"statements": selectors.statements_flagged()})


@permission_required("stances.view_statement", raise_exception=True)
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(
        Statement.objects.select_related("track__donor", "track__recipient", "level", "scope", "trigger_event"), pk=pk
    )
    sources = statement.sources.select_related("outlet").order_by("id")
    return render(
        request,
        "stances/statement_detail.html",
        {
            "statement": statement,
            "sources": sources,
            "conditions": statement.conditions.order_by("stated_on"),
            "flagged": selectors.statement_is_flagged(statement),
            "blocked": Outlet.ReviewStatus.BLOCKED,
            "history": selectors.statement_history(statement),
            "retract_form": RetractForm(initial={"version": statement.version}),
        },
    )


@permission_required("stances.add_statement", raise_exception=True)
def statement_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            track = track_for_form(form)
            sources = resolve_sources(form) if track else None
            if track and sources is not None:
                try:
                    statement = services.statement_create(
                        track=track, sources=sources, user=request.user, **form.statement_fields()
                    )
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, f"Published statement {statement}.")
                    return redirect("stances:statement_detail", pk=statement.pk)
    else:
        initial = {k: request.GET[k] for k in ("donor", "recipient") if request.GET.get(k)}
        if request.GET.get("article", "").isdigit():  # "Code a statement from it" (review: articles)
            initial |= selectors.statement_initial_from_article(int(request.GET["article"]))
        form = StatementForm(initial=initial)
    return render(request, "stances/statement_form.html", {"form": form, "title": "New statement"})


def _unsaved_changes(form: StatementForm, current: dict) -> list[dict]:
    """The editor's submitted values that differ from the saved statement: shown so nothing is lost."""
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        submitted = ", ".join(v for v in form.data.getlist(name) if v) if hasattr(form.data, "getlist") else ""
        saved = current.get(name)
        saved = ", ".join(str(v) for v in saved) if isinstance(saved, list) else ("" if saved is None else str(saved))
        if submitted.strip() != saved.strip():
            rows.append({"label": field.label or name.replace("_", " ").capitalize(), "value": submitted})
    return rows


@permission_required("stances.change_statement", raise_exception=True)
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.select_related("track"), pk=pk)
    if statement.status == Statement.Status.RETRACTED:
        messages.error(request, "A retracted statement cannot be edited.")
        return redirect("stances:statement_detail", pk=pk)
    unsaved = []
    if request.method == "POST":
        form = StatementForm(request.POST, track=statement.track)
        if form.is_valid():
            track = track_for_form(form)
            sources = resolve_sources(form) if track else None
            if track and sources is not None:
                try:
                    statement = services.statement_update(
                        statement_id=statement.pk,
                        expected_version=form.cleaned_data["version"] or 0,
                        user=request.user,
                        track=track,
                        sources=sources,
                        **form.statement_fields(),
                    )
                except services.StatementConflict as exc:
                    messages.error(request, str(exc))
                    current = StatementForm.initial_for(exc.statement)
                    unsaved = _unsaved_changes(form, current)
                    form = StatementForm(initial=current, track=exc.statement.track)
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, f"Saved statement {statement} (version {statement.version}).")
                    return redirect("stances:statement_detail", pk=statement.pk)
    else:
        form = StatementForm(initial=StatementForm.initial_for(statement), track=statement.track)
    return render(
        request,
        "stances/statement_form.html",
        {"form": form, "title": f"Edit statement #{statement.pk}", "statement": statement, "unsaved": unsaved},
    )


@require_POST
@permission_required("stances.change_statement", raise_exception=True)
def statement_retract(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)
    form = RetractForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("stances:statement_detail", pk=pk)
    try:
        services.statement_retract(
            statement_id=statement.pk,
            reason=form.cleaned_data["reason"],
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except services.StatementConflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Statement retracted: it has left the line and stays in the history.")
    return redirect("stances:statement_detail", pk=pk)


@permission_required("stances.view_condition", raise_exception=True)
def condition_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.condition_list(donor=request.GET.get("donor") or None, recipient=request.GET.get("recipient"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "stances/condition_list.html", {"page": page})


@permission_required("stances.add_condition", raise_exception=True)
def condition_create(request: HttpRequest) -> HttpResponse:
    initial = {k: request.GET[k] for k in ("donor", "recipient") if k in request.GET}
    form = ConditionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            track = services.track_get_or_create(donor=data["donor"].code, recipient=data["recipient"].code)
            condition = services.condition_create(
                track=track,
                text=data["text"],
                kind=data["kind"],
                stated_on=data["stated_on"],
                status=data["status"],
                resolved_on=data["resolved_on"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Added condition “{condition.text}” to {track}.")
            return redirect("stances:condition_list")
    return render(request, "stances/condition_form.html", {"form": form, "title": "New condition"})


@permission_required("stances.change_condition", raise_exception=True)
def condition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    condition = get_object_or_404(Condition.objects.select_related("track"), pk=pk)
    initial = {k: getattr(condition, k) for k in ("text", "kind", "status", "resolved_on")}
    form = ConditionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            condition = services.condition_update(condition_id=condition.pk, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Condition “{condition.text}” is {condition.get_status_display().lower()}.")
            return redirect("stances:condition_list")
    history = condition.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "stances/condition_form.html",
        {"form": form, "title": f"Condition on {condition.track}", "condition": condition, "history": history},
    )


@permission_required("stances.view_event", raise_exception=True)
def event_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.event_list(), 50).get_page(request.GET.get("page"))
    return render(request, "stances/event_list.html", {"page": page})


@permission_required("stances.add_event", raise_exception=True)
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_create(
                occurred_on=data["occurred_on"],
                title=data["title"],
                description=data["description"],
                countries=[c.code for c in data["countries"]],
                source_url=data["source_url"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Added event {event}.")
            return redirect("stances:event_list")
    return render(request, "stances/event_form.html", {"form": form, "title": "New trigger event"})
