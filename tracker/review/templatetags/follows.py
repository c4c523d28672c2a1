"""`{% load follows %}{% follow_button "KOR" %}`: a follow/unfollow form for a country page."""

from django import template

from tracker.review.models import Follow

register = template.Library()


@register.inclusion_tag("review/_follow_button.html", takes_context=True)
def follow_button(context, country_code: str) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    following = bool(
        user and user.is_authenticated and Follow.objects.filter(user=user, country_id=country_code).exists()
    )
    return {
        "country_code": country_code,
        "following": following,
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
        "show": bool(user and user.is_authenticated and user.has_perm("stances.view_track")),
    }
