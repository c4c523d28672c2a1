from django.contrib import admin, messages
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from tracker.sources.models import Article, Feed, Outlet
from tracker.sources.services import feed_resume


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 0
    fields = ["url", "status", "last_polled_at", "next_poll_at", "last_error"]
    readonly_fields = ["status", "last_polled_at", "next_poll_at", "last_error"]


@admin.register(Outlet)
class OutletAdmin(SimpleHistoryAdmin):
    list_display = ["name", "domain", "country", "review_status", "reliability", "reviewed_by", "reviewed_at"]
    list_filter = ["review_status", "reliability", "country"]
    search_fields = ["name", "domain"]
    readonly_fields = ["reviewed_by", "reviewed_at"]
    autocomplete_fields = ["country"]
    inlines = [FeedInline]
    actions = ["approve", "block"]

    def _set_review_status(self, request, queryset, status: str) -> None:
        # One save per outlet (not queryset.update) so each change gets its own history row.
        for outlet in queryset:
            outlet.review_status = status
            outlet.reviewed_by = request.user
            outlet.reviewed_at = timezone.now()
            outlet.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "updated_at"])
        self.message_user(request, f"{queryset.count()} outlet(s) marked {status}.", messages.SUCCESS)

    @admin.action(description="Approve selected outlets", permissions=["change"])
    def approve(self, request, queryset):
        self._set_review_status(request, queryset, Outlet.ReviewStatus.APPROVED)

    @admin.action(description="Block selected outlets", permissions=["change"])
    def block(self, request, queryset):
        self._set_review_status(request, queryset, Outlet.ReviewStatus.BLOCKED)


@admin.register(Feed)
class FeedAdmin(SimpleHistoryAdmin):
    list_display = ["url", "outlet", "status", "last_polled_at", "next_poll_at", "consecutive_failures"]
    list_filter = ["status"]
    search_fields = ["url", "outlet__name"]
    list_select_related = ["outlet"]
    actions = ["resume_polling"]

    @admin.action(description="Resume polling (clears the failure score; due now)", permissions=["change"])
    def resume_polling(self, request, queryset):
        for feed_id in queryset.values_list("id", flat=True):
            feed_resume(feed_id=feed_id, user=request.user)
        self.message_user(request, f"{queryset.count()} feed(s) will be polled at the next tick.")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published_at", "language", "status", "triage"]
    list_filter = ["status", "triage", "language"]
    search_fields = ["title", "url"]
    date_hierarchy = "published_at"
    raw_id_fields = ["duplicate_of", "feed"]
    readonly_fields = ["triaged_by", "triaged_at"]
    list_select_related = ["outlet"]
