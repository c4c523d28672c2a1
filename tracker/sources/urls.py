"""URL routes of the source-admin pages, mounted at /sources/."""

from django.urls import path

from tracker.sources import views

app_name = "sources"

urlpatterns = [
    path("outlets/", views.outlet_list, name="outlet_list"),
    path("outlets/<int:pk>/", views.outlet_edit, name="outlet_edit"),
    path("outlets/<int:pk>/approve/", views.outlet_approve, name="outlet_approve"),
    path("outlets/<int:pk>/block/", views.outlet_block, name="outlet_block"),
    path("feeds/", views.feed_list, name="feed_list"),
    path("feeds/<int:pk>/pause/", views.feed_pause, name="feed_pause"),
    path("feeds/<int:pk>/resume/", views.feed_resume, name="feed_resume"),
    path("feeds/<int:pk>/poll/", views.feed_poll, name="feed_poll"),
]
