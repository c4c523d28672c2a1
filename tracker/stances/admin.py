from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tracker.stances.models import (
    CodebookVersion,
    Condition,
    Country,
    Event,
    StanceLevel,
    Statement,
    Track,
    WeaponCategory,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "alpha2", "name"]
    search_fields = ["code", "name", "aliases"]


class StanceLevelInline(admin.TabularInline):
    model = StanceLevel
    extra = 0


@admin.register(CodebookVersion)
class CodebookVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "published_on", "is_current"]
    inlines = [StanceLevelInline]


@admin.register(StanceLevel)
class StanceLevelAdmin(SimpleHistoryAdmin):
    list_display = ["rank", "code", "label", "codebook"]
    list_filter = ["codebook"]


@admin.register(WeaponCategory)
class WeaponCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["donor", "recipient", "created_at"]
    list_filter = ["recipient"]
    search_fields = ["donor__name", "recipient__name"]
    autocomplete_fields = ["donor", "recipient"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_on", "title"]
    search_fields = ["title"]
    date_hierarchy = "occurred_on"
    filter_horizontal = ["countries"]


@admin.register(Condition)
class ConditionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "track", "kind", "status", "stated_on"]
    list_filter = ["kind", "status"]
    search_fields = ["text"]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["track", "stated_on", "level", "scope", "certainty", "status", "speaker"]
    list_filter = ["status", "certainty", "level", "scope", "track__recipient"]
    search_fields = ["quote", "speaker", "track__donor__name"]
    date_hierarchy = "stated_on"
    raw_id_fields = ["sources"]
    list_select_related = ["track", "level", "scope"]
    readonly_fields = ["version", "created_by", "reviewed_by"]

    def save_model(self, request, obj, form, change):
        # Keep optimistic locking meaningful: an admin save is a new version too, so an editor's form
        # opened before it is refused instead of overwriting it. (The editor pages do the full check.)
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
