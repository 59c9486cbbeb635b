"""Reader and reviewer pages. They live in the claims app because every page
shows claims (episodes and people included); ``episodes`` and ``people``
stay free of any import of ``claims``.

The pages of an episode and of a person are named in the ``episodes`` and
``people`` namespaces, after what they show, so those apps' models can link
to them without naming this app.
"""

from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("claims/", views.claim_list, name="claim_list"),
    path(
        "claims/export.csv",
        views.claim_export,
        {"fmt": "csv"},
        name="claim_export_csv",
    ),
    path(
        "claims/export-for-spreadsheets.csv",
        views.claim_export,
        {"fmt": "spreadsheet-csv"},
        name="claim_export_spreadsheet",
    ),
    path(
        "claims/export.json",
        views.claim_export,
        {"fmt": "json"},
        name="claim_export_json",
    ),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("corrections/", views.corrections_log, name="corrections"),
    path("claimreview.json", views.claimreview_feed, name="claimreview_feed"),
]

episode_urlpatterns = [
    path("", views.episode_list, name="list"),
    path("<slug:slug>/", views.episode_detail, name="detail"),
]

person_urlpatterns = [
    path("", views.person_list, name="list"),
    path("<slug:slug>/", views.person_detail, name="detail"),
]
