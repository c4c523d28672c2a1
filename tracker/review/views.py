"""The review queue and its decisions, and following countries for shift alerts."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tracker.review import selectors, services
from tracker.review.forms import BulkRejectForm, DuplicateForm, FollowForm, QueueFilterForm, RejectForm
from tracker.review.models import Suggestion
from tracker.stances.forms import StatementForm
from tracker.stances.models import Country
from tracker.stances.views import apply_validation_error, resolve_sources, track_for_form

QUEUE_PAGE_SIZE = 20
ARTICLES_PAGE_SIZE = 25


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the `next` the page sent (same host only), e.g. the queue with its filters."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = default
    return redirect(target)


@permission_required("review.change_suggestion", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    filter_form = QueueFilterForm(request.GET or None)
    filters = filter_form.filters() if request.GET else {"order": "recent"}
    page = Paginator(selectors.queue(**filters), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/queue.html",
        {
            "filter_form": filter_form,
            "page": page,
            "items": selectors.queue_items(list(page.object_list)),
            "counts": selectors.queue_counts(),
            "articles_to_look_at": selectors.articles_to_look_at().count(),
            "query": query.urlencode(),
            "here": request.get_full_path(),
            "order": filters.get("order", "recent"),
        },
    )


@require_POST
@permission_required("review.change_suggestion", raise_exception=True)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    default = reverse("review:queue")
    try:
        statement = services.suggestion_accept(suggestion_id=pk, user=request.user)
    except Suggestion.DoesNotExist:
        messages.error(request, f"Suggestion #{pk} does not exist.")
    except services.SuggestionAlreadyDecided as exc:
        messages.warning(request, str(exc))
    except ValidationError as exc:
        edit = reverse("review:edit", args=[pk])
        messages.error(request, f"Could not publish suggestion #{pk}: {' '.join(exc.messages)} Edit it first: {edit}")
    else:
        messages.success(request, f"Accepted: published statement #{statement.pk} ({statement}).")
    return _back(request, default)


@permission_required("review.change_suggestion", raise_exception=True)
@permission_required("stances.add_statement", raise_exception=True)
def edit_then_accept(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion.objects.select_related("article__outlet", "level", "scope"), pk=pk)
    if suggestion.status != Suggestion.Status.PENDING:
        messages.warning(request, f"Suggestion #{pk} was already decided ({suggestion.get_status_display()}).")
        return redirect("review:queue")
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            track = track_for_form(form)
            sources = resolve_sources(form) if track else None
            if track and sources is not None:
                try:
                    statement = services.suggestion_accept(
                        suggestion_id=pk,
                        user=request.user,
                        statement_fields={"track": track, "sources": sources, **form.statement_fields()},
                    )
                except services.SuggestionAlreadyDecided as exc:
                    messages.warning(request, str(exc))
                    return redirect("review:queue")
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, f"Accepted with edits: published statement #{statement.pk}.")
                    return _back(request, reverse("review:queue"))
    else:
        initial = services.suggestion_statement_initial(suggestion)
        initial["weapons"] = ", ".join(initial["weapons"])
        initial["new_conditions"] = "\n".join(initial["new_conditions"])
        initial["source_urls"] = "\n".join(initial["source_urls"])
        form = StatementForm(initial=initial)
    return render(
        request,
        "stances/statement_form.html",
        {
            "form": form,
            "title": f"Edit and accept suggestion #{pk}",
            "suggestion": suggestion,
            "highlight": selectors.highlight(suggestion.article.text or "", suggestion.evidence),
            "next": request.GET.get("next") or request.POST.get("next") or "",
        },
    )


@require_POST
@permission_required("review.change_suggestion", raise_exception=True)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Suggestion #{pk} not rejected: {' '.join(form.errors['reason'])}")
        return _back(request, reverse("review:queue"))
    try:
        services.suggestion_reject(suggestion_id=pk, user=request.user, reason=form.cleaned_data["reason"])
    except Suggestion.DoesNotExist:
        messages.error(request, f"Suggestion #{pk} does not exist.")
    except services.SuggestionAlreadyDecided as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, f"Rejected suggestion #{pk}.")
    return _back(request, reverse("review:queue"))


@require_POST
@permission_required("review.change_suggestion", raise_exception=True)
@permission_required("stances.change_statement", raise_exception=True)
def mark_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Suggestion #{pk} not marked: {' '.join(form.errors['statement'])}")
        return _back(request, reverse("review:queue"))
    statement = form.cleaned_data["statement"]
    try:
        services.suggestion_mark_duplicate(suggestion_id=pk, statement_id=statement.pk, user=request.user)
    except Suggestion.DoesNotExist:
        messages.error(request, f"Suggestion #{pk} does not exist.")
    except services.SuggestionAlreadyDecided as exc:
        messages.warning(request, str(exc))
    except ValidationError as exc:
        messages.error(request, f"Suggestion #{pk} not marked: {' '.join(exc.messages)}")
    else:
        messages.success(request, f"Suggestion #{pk} added as evidence to statement #{statement.pk}.")
    return _back(request, reverse("review:queue"))


@require_POST
@permission_required("review.change_suggestion", raise_exception=True)
def bulk_reject(request: HttpRequest) -> HttpResponse:
    form = BulkRejectForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(request, reverse("review:queue"))
    count = services.suggestions_bulk_reject(
        suggestion_ids=form.cleaned_data["ids"], user=request.user, reason=form.cleaned_data["reason"]
    )
    skipped = len(form.cleaned_data["ids"]) - count
    note = f" ({skipped} already decided, left as they were)" if skipped else ""
    messages.success(request, f"Rejected {count} suggestion(s){note}.")
    return _back(request, reverse("review:queue"))


@permission_required("review.change_suggestion", raise_exception=True)
def articles(request: HttpRequest) -> HttpResponse:
    """Articles the detector found no stance in although they name arms and two countries: an editor
    codes a statement from one or marks it as no stance (`?show=dismissed` lists those, to undo)."""
    dismissed = request.GET.get("show") == "dismissed"
    page = Paginator(selectors.articles_to_look_at(dismissed=dismissed), ARTICLES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "dismissed": dismissed, "here": request.get_full_path()}
    return render(request, "review/articles.html", context)


def _triage(request: HttpRequest, change, done: str, back: str) -> HttpResponse:
    # A row's own button sends `only`; the toolbar button sends the ticked `ids`.
    raw = [request.POST["only"]] if request.POST.get("only") else request.POST.getlist("ids")
    if ids := [int(v) for v in raw if v.isdigit()]:
        n = change(article_ids=ids, user=request.user)
        messages.success(request, f"{n} article{pluralize(n)} {done}.")
    else:
        messages.error(request, "Select at least one article.")
    return _back(request, back)


@require_POST
@permission_required("review.change_suggestion", raise_exception=True)
def articles_dismiss(request: HttpRequest) -> HttpResponse:
    return _triage(request, services.articles_dismiss, "marked as no stance", reverse("review:articles"))


@require_POST
@permission_required("review.change_suggestion", raise_exception=True)
def articles_restore(request: HttpRequest) -> HttpResponse:
    back = reverse("review:articles") + "?show=dismissed"
    return _triage(request, services.articles_restore, "back on the list", back)


@permission_required("stances.view_track", raise_exception=True)
def follows(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        country = Country.objects.filter(code=request.POST.get("country", "")).first()
        if country is None:
            messages.error(request, "Choose a country to follow.")
        else:
            services.follow_set(user=request.user, country_code=country.code, follow=True)
            messages.success(request, f"You now follow {country.name}.")
        return redirect("review:follows")
    return render(
        request,
        "review/follows.html",
        {
            "followed": Country.objects.filter(followers__user=request.user).order_by("name"),
            "countries": Country.objects.order_by("name"),
            "has_email": bool(request.user.email),
        },
    )


@require_POST
@permission_required("stances.view_track", raise_exception=True)
def follow_toggle(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    form = FollowForm(request.POST)
    if form.is_valid():
        follow = form.cleaned_data["action"] == "follow"
        services.follow_set(user=request.user, country_code=country.code, follow=follow)
        messages.success(request, f"You {'now follow' if follow else 'no longer follow'} {country.name}.")
    else:
        messages.error(request, "Unknown follow action.")
    return _back(request, reverse("review:follows"))
