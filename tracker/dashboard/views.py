from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tracker.dashboard import selectors


@permission_required("stances.view_track", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/overview.html", {"tracks": selectors.track_summaries()})


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
