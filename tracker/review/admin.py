from django.contrib import admin

from tracker.review.models import Follow, ShiftAlert, Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["donor", "recipient", "level", "scope", "confidence", "status", "created_at"]
    list_filter = ["status", "level", "detector_version"]
    search_fields = ["evidence", "article__title"]
    raw_id_fields = ["article", "statement"]
    list_select_related = ["donor", "recipient", "level", "scope"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "created_at"]
    search_fields = ["user__username", "country__name"]
    raw_id_fields = ["user"]


@admin.register(ShiftAlert)
class ShiftAlertAdmin(admin.ModelAdmin):
    list_display = ["statement", "kind", "from_level", "to_level", "created_at", "sent_at", "recipients"]
    readonly_fields = ["statement", "kind", "from_level", "to_level", "created_at", "sent_at", "recipients"]
    list_select_related = ["statement__track", "statement__level", "from_level", "to_level"]
    list_filter = ["kind"]
