from django.urls import path

from tracker.review import views

app_name = "review"

urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("review/bulk-reject/", views.bulk_reject, name="bulk_reject"),
    path("review/articles/", views.articles, name="articles"),
    path("review/articles/dismiss/", views.articles_dismiss, name="articles_dismiss"),
    path("review/articles/restore/", views.articles_restore, name="articles_restore"),
    path("review/<int:pk>/accept/", views.accept, name="accept"),
    path("review/<int:pk>/edit/", views.edit_then_accept, name="edit"),
    path("review/<int:pk>/reject/", views.reject, name="reject"),
    path("review/<int:pk>/duplicate/", views.mark_duplicate, name="duplicate"),
    path("follows/", views.follows, name="follows"),
    path("follows/<str:code>/", views.follow_toggle, name="follow_toggle"),
]
