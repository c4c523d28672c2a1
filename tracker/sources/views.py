"""Source admins' pages: outlet review and feed health (the Django admin has the same data in bulk)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tracker.review.models import Suggestion
from tracker.sources import selectors, services
from tracker.sources.forms import OutletFilterForm, OutletReviewForm
from tracker.sources.models import Feed, Outlet
from tracker.stances.selectors import statements_flagged


def _block_effects(outlet: Outlet) -> str:
    hidden = Suggestion.objects.filter(article__outlet=outlet, status=Suggestion.Status.PENDING).count()
    flagged = statements_flagged().filter(sources__outlet=outlet).distinct().count()
    return (
        f"Blocked {outlet.name}: {hidden} pending suggestion(s) hidden from the queue, "
        f"{flagged} published statement(s) now rest on blocked outlets only and are flagged for editors."
    )


@permission_required("sources.change_outlet", raise_exception=True)
def outlet_list(request: HttpRequest) -> HttpResponse:
    form = OutletFilterForm(request.GET or None)
    status, search = "", ""
    if form.is_valid():
        status, search = form.cleaned_data["status"], form.cleaned_data["q"]
    page = Paginator(selectors.outlet_rows(status=status or None, search=search), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sources/outlet_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "here": request.get_full_path()},
    )


@permission_required("sources.change_outlet", raise_exception=True)
def outlet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(Outlet, pk=pk)
    form = OutletReviewForm(request.POST or None, initial=OutletReviewForm.initial_for(outlet))
    if request.method == "POST" and form.is_valid():
        was_blocked = outlet.review_status == Outlet.ReviewStatus.BLOCKED
        outlet = services.outlet_review(outlet_id=outlet.pk, user=request.user, **form.cleaned_data)
        if outlet.review_status == Outlet.ReviewStatus.BLOCKED and not was_blocked:
            messages.warning(request, _block_effects(outlet))
        else:
            messages.success(request, f"Saved {outlet.name}.")
        return redirect("sources:outlet_list")
    history = outlet.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "sources/outlet_form.html", {"form": form, "outlet": outlet, "history": history})


@require_POST
@permission_required("sources.change_outlet", raise_exception=True)
def outlet_approve(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = services.outlet_approve(outlet_id=get_object_or_404(Outlet, pk=pk).pk, user=request.user)
    messages.success(request, f"Approved {outlet.name}.")
    return redirect(request.POST.get("next") if _safe(request) else "sources:outlet_list")


@require_POST
@permission_required("sources.change_outlet", raise_exception=True)
def outlet_block(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = services.outlet_block(outlet_id=get_object_or_404(Outlet, pk=pk).pk, user=request.user)
    messages.warning(request, _block_effects(outlet))
    return redirect(request.POST.get("next") if _safe(request) else "sources:outlet_list")


def _safe(request: HttpRequest) -> bool:
    target = request.POST.get("next") or ""
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


@permission_required("sources.view_feed", raise_exception=True)
def feed_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "sources/feed_list.html",
        {"rows": selectors.feed_health(), "paused": Feed.Status.PAUSED, "failing": Feed.Status.FAILING},
    )


@require_POST
@permission_required("sources.change_feed", raise_exception=True)
def feed_pause(request: HttpRequest, pk: int) -> HttpResponse:
    feed = services.feed_pause(feed_id=get_object_or_404(Feed, pk=pk).pk, user=request.user)
    messages.success(request, f"Paused {feed.url}.")
    return redirect("sources:feed_list")


@require_POST
@permission_required("sources.change_feed", raise_exception=True)
def feed_resume(request: HttpRequest, pk: int) -> HttpResponse:
    feed = services.feed_resume(feed_id=get_object_or_404(Feed, pk=pk).pk, user=request.user)
    messages.success(request, f"Resumed {feed.url}: it is due now.")
    return redirect("sources:feed_list")


@require_POST
@permission_required("sources.change_feed", raise_exception=True)
def feed_poll(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=pk)
    services.feed_poll_now(feed_id=feed.pk)
    messages.success(request, f"Polling {feed.url} now; refresh in a minute for the result.")
    return redirect("sources:feed_list")
