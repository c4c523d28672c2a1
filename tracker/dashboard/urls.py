from django.urls import path

from tracker.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("tracks/<str:donor>/<str:recipient>/", views.track, name="track"),
    path("tracks/<str:donor>/<str:recipient>/scopes.json", views.track_scopes, name="track_scopes"),
    path("compare/", views.compare, name="compare"),
    path("countries/<str:code>/", views.country, name="country"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("api/v1/tracks/<str:donor>/<str:recipient>/", views.api_track, name="api_track"),
    path("feeds/shifts/<str:key>/", views.shift_feed, name="shift_feed"),
    path("feeds/reset/", views.feed_token_reset, name="feed_token_reset"),
    path("healthz", views.healthz, name="healthz"),
]
