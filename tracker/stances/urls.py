from django.urls import path

from tracker.stances import views

app_name = "stances"

urlpatterns = [
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/new/", views.statement_create, name="statement_create"),
    path("statements/flagged/", views.statements_flagged, name="statements_flagged"),
    # /statements/<pk>/ is the analysts' statement page (dashboard); this one adds history and editing.
    path("statements/<int:pk>/history/", views.statement_detail, name="statement_detail"),
    path("statements/<int:pk>/edit/", views.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/retract/", views.statement_retract, name="statement_retract"),
    path("conditions/", views.condition_list, name="condition_list"),
    path("conditions/new/", views.condition_create, name="condition_create"),
    path("conditions/<int:pk>/edit/", views.condition_edit, name="condition_edit"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
]
