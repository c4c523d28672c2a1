from django.contrib import admin

from tracker.review.models import Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["donor", "recipient", "level", "scope", "confidence", "status", "created_at"]
    list_filter = ["status", "level", "detector_version"]
    search_fields = ["evidence", "article__title"]
    raw_id_fields = ["article", "statement"]
    list_select_related = ["donor", "recipient", "level", "scope"]
