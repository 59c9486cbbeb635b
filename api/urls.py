"""/api/…: the JSON API (README "API")."""

from django.urls import path, re_path

from api.views import claims, directory, docs, steps

app_name = "api"

urlpatterns = [
    path("claims/", claims.ClaimList.as_view(), name="claim-list"),
    path("claims/<int:pk>/", claims.ClaimDetail.as_view(), name="claim-detail"),
    path(
        "claims/<int:pk>/history/",
        claims.ClaimHistory.as_view(),
        name="claim-history",
    ),
    path(
        "claims/<int:pk>/evidence/",
        steps.AddEvidence.as_view(),
        name="claim-evidence",
    ),
    path("claims/<int:pk>/notes/", steps.AddNote.as_view(), name="claim-notes"),
    path(
        "claims/<int:pk>/start-research/",
        steps.StartResearch.as_view(),
        name="claim-start-research",
    ),
    path("claims/<int:pk>/verdict/", steps.SetVerdict.as_view(), name="claim-verdict"),
    path("claims/<int:pk>/approve/", steps.Approve.as_view(), name="claim-approve"),
    path("claims/<int:pk>/reopen/", steps.Reopen.as_view(), name="claim-reopen"),
    path("claims/<int:pk>/assign/", steps.Assign.as_view(), name="claim-assign"),
    path(
        "claims/<int:pk>/summary/",
        steps.EditSummary.as_view(),
        name="claim-summary",
    ),
    path("episodes/", directory.EpisodeList.as_view(), name="episode-list"),
    path("people/", directory.PersonList.as_view(), name="person-list"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    # Any other address under /api/ (a negative or non-numeric id, a typo):
    # the API's JSON 404, not the site's HTML page; one without its final
    # slash redirected for a read (claims.NotFound).
    re_path(r"^[\s\S]*$", claims.NotFound.as_view(), name="not-found"),
]
